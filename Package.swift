// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "vodhook",
    // Linux only (no `platforms`): the ledger, the data-directory lock and the tests use Linux
    // system calls and files (fdatasync, flock, prlimit, /proc); no Apple platform is built or tested.
    products: [
        .executable(name: "vodhook", targets: ["vodhook"]),
        .library(name: "VODHookCLI", targets: ["VODHookCLI"]),
        .library(name: "VODHookCore", targets: ["VODHookCore"]),
        .library(name: "VODHook", targets: ["VODHook"]),
        .library(name: "VODHookServer", targets: ["VODHookServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already built for Hummingbird; its HTTP/1 <-> HTTPTypes codec builds the callback channel.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The config file: its keys are checked (a misspelt key stops start-up instead of being
        // ignored) and its handlers read with their line numbers.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // exec handlers: spawns without a shell into a process group of their own, reads stdout and
        // stderr concurrently without blocking a thread, and stops pipe reads when the program exits
        // even if a grandchild keeps them open. Foundation's trait is off: bytes are [UInt8] here.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2", traits: []),
        // Already in the graph through swift-nio and swift-subprocess: FileDescriptor for the ledger's
        // and the config files' I/O instead of hand-written system calls; FilePath for exec's program.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The swift-metrics backend of `serve`: renders what the code counts through swift-metrics
        // as Prometheus text on the admin listener's /metrics. Its one other dependency,
        // swift-atomics, is already built for swift-nio.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The admin dashboard's HTML: logic-less templates that escape every {{value}} for HTML,
        // kept as Swift string constants; no dependencies of its own, no front-end build step.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Pure: values in, values out. No files, sockets, clocks or NIO.
        .target(
            name: "VODHookCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // The handlers of the config file are read from Yams nodes, with their line numbers.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // I/O: the ledger on disk, configuration, the VOD client. No HTTP server.
        .target(
            name: "VODHook",
            dependencies: [
                "VODHookCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The HTTP edge: request context, routes, buildApplication.
        .target(
            name: "VODHookServer",
            dependencies: [
                "VODHookCore",
                "VODHook",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The CLI and serve's assembly, a library so that a package of one's own can run them with
        // its own Swift handlers; the executable below only calls it.
        .target(
            name: "VODHookCLI",
            dependencies: [
                "VODHookCore",
                "VODHook",
                "VODHookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "vodhook", dependencies: ["VODHookCLI"]),
        // bench/ingest's floors: a Hummingbird route, or NIO alone, answering 200 (with or without fdatasync).
        .executableTarget(
            name: "vodhook-bench-bare",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "bench/bare"
        ),
        .testTarget(
            name: "VODHookCoreTests",
            dependencies: ["VODHookCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "VODHookTests",
            dependencies: [
                "VODHookCore", "VODHook", .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "VODHookServerTests",
            dependencies: [
                "VODHookCore", "VODHook", "VODHookServer", "VODHookCLI", "vodhook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
