// swift-tools-version: 6.2
// libFuzzer targets for vodhook's parsers. Not part of the root package: they only build with
// the sanitizer flags, so `swift build` and `swift test` never see them. Build and run them with
// `scripts/fuzz` (README, "Fuzzing").
import PackageDescription

// A path dependency's identity is its directory's name, which is whatever the clone is called.
let root = Context.packageDirectory.split(separator: "/").dropLast().last.map { $0.lowercased() } ?? "vodhook"
let core = Target.Dependency.product(name: "VODHookCore", package: root)

let package = Package(
    name: "vodhook-fuzz",
    // Linux only, as the root package (libFuzzer's -sanitize=fuzzer needs the open-source toolchain).
    dependencies: [.package(path: "..")],
    targets: [
        // The property check and input splitting the targets share.
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .executableTarget(name: "fuzz-json", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "fuzz-envelope", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "fuzz-signature", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "fuzz-ledger", dependencies: [core, "FuzzSupport"]),
        .executableTarget(name: "fuzz-torntail", dependencies: [core, "FuzzSupport"]),
    ]
)
