import ArgumentParser

/// A one-line failure for the user: printed as `Error: <text>`, exit status 1. Never carries a secret.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
