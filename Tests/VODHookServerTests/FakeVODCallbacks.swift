/// Where the fake will POST signed VOD callbacks to a running vodhook (issue 3: "the fake calls
/// back"): after a `SubmitAIJob`, build the completion event for each job with
/// `SampleEvent.body(...)`, sign it with `CallbackVerifier.sign(url:timestamp:key:)` and send it
/// with AsyncHTTPClient to the configured callback URL (or `UserData.MessageCallback.CallbackURL`).
///
/// Not built yet: `FakeVODState` would gain a callback target (URL and key) and
/// `FakeVODServer.handle` a hook after `submit(mediaId:types:)`.
enum FakeVODCallbacks {}
