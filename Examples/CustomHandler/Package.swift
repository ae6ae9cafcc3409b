// swift-tools-version: 6.2
// A package of one's own that runs vodhook's CLI with a Swift handler beside the config file's.
import PackageDescription

let package = Package(
    name: "CustomHandler",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your own package: .package(url: "<vodhook's repository>", from: "…")
        .package(name: "vodhook", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "vodhook-custom",
            dependencies: [
                .product(name: "VODHookCLI", package: "vodhook"),
                .product(name: "VODHook", package: "vodhook"),
                .product(name: "VODHookCore", package: "vodhook"),
            ]
        )
    ]
)
