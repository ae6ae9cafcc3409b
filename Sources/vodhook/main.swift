import VODHookCLI

// The whole CLI lives in the VODHookCLI library, so a package of one's own can run the same
// commands with Swift handlers of its own (see Examples/CustomHandler).
await VODHookCommand.run()
