// vodhook-bench-bare: the baselines under vodhook for bench/ingest.
//
//   vodhook-bench-bare serve --listen 127.0.0.1:PORT [--floor router|nio|nio-sync] [--file F]
//
// router (the default): a Hummingbird application set up like `vodhook serve` (same HTTP/1
// options, text logging through swift-log) whose callback route answers 200 without reading the
// body: no signature, no parse, no ledger. nio: NIO's HTTP/1 pipeline and one handler that
// reads each request whole and answers 200 (NIOFloor.swift). nio-sync: the same, answering
// once the body is appended to --file and fdatasync'd, with group commit like vodhook's ledger.
// Other arguments are ignored, so bench/ingest can start it with vodhook's.
import Hummingbird
import Logging

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

var host = "127.0.0.1"
var port = 8080
if let value = argument("--listen"), let colon = value.lastIndex(of: ":"),
    let parsed = Int(value[value.index(after: colon)...])
{
    host = String(value[..<colon])
    port = parsed
}
switch argument("--floor") ?? "router" {
case "router":
    break
case "nio":
    try NIOFloor.run(host: host, port: port, file: nil)
case "nio-sync":
    guard let file = argument("--file") else { fatalError("--floor nio-sync needs --file") }
    try NIOFloor.run(host: host, port: port, file: file)
case let other:
    fatalError("unknown --floor \(other): router, nio or nio-sync")
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
