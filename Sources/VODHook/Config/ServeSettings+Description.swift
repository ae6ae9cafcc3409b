import VODHookCore

extension ServeSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// Every setting on one line, with the callback keys counted but never shown.
    public var description: String {
        let admin = adminListen.map(\.description) ?? "(same listener)"
        return "listen=\(listen) admin_listen=\(admin) public_url=\(publicURLs.joined(separator: ","))"
            + " key_file=\(keyFile ?? "(none)") callback_keys=<\(callbackKeys.count) hidden>"
            + " data_dir=\(dataDir) max_skew=\(maxSkew) max_body=\(maxBody) rotate_size=\(rotateSize)"
            + " max_connections=\(maxConnections) idle_timeout=\(idleTimeout)"
            + " insecure_no_auth=\(insecureNoAuth) log_level=\(logLevel) log_format=\(logFormat.rawValue)"
            + " reconcile_every=\(reconcileEvery.map { "\($0)ms" } ?? "(never)") reconcile_older_than=\(reconcileOlderThan)ms"
            + " endpoint=\(endpoint) signature_version=\(signatureVersion.rawValue) trusted_proxy=\(trustedProxies)"
    }

    /// The same as ``description``: the keys stay hidden in the debugger and in test failures too.
    public var debugDescription: String { description }
}
