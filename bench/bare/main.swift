// vodhook-bench-bare: the router baseline for bench/ingest. A Hummingbird application set up
// like `vodhook serve` (same HTTP/1 options, text logging through swift-log) whose callback
// route answers 200 without reading the body: no signature, no parse, no ledger.
//
//   vodhook-bench-bare serve --listen 127.0.0.1:PORT [ignored vodhook serve options...]
//
// Only `--listen HOST:PORT` is read, so bench/ingest can start it with vodhook's arguments.
import Hummingbird
import Logging

var host = "127.0.0.1"
var port = 8080
let arguments = CommandLine.arguments
if let index = arguments.firstIndex(of: "--listen"), index + 1 < arguments.count {
    let value = arguments[index + 1]
    if let colon = value.lastIndex(of: ":"), let parsed = Int(value[value.index(after: colon)...]) {
        host = String(value[..<colon])
        port = parsed
    }
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
let router = Router()
router.post("vod/callback") { _, _ in HTTPResponse.Status.ok }
let app = Application(
    router: router,
    server: .http1(configuration: .init(idleTimeout: .seconds(75))),
    configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: 1024),
    logger: Logger(label: "vodhook-bench-bare"))
try await app.runService()
