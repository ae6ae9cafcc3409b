public import CLibFuzzer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the run when a property does not hold: libFuzzer then saves the input as a crash
/// (`crash-<sha1>`), which reproduces with `scripts/fuzz --repro <target> <file>`.
public func check(
    _ condition: Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard !condition else { return }
    let text = Array("property failed at \(file):\(line): \(message())\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// The fuzzer's bytes as an array.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The bytes cut at each NUL into `count` fields (missing fields are empty, the last takes the
/// rest), so one input can carry several strings and the mutator can grow or shrink each.
public func fields(_ bytes: [UInt8], count: Int) -> [[UInt8]] {
    var parts = bytes.split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false).map(Array.init)
    while parts.count < count { parts.append([]) }
    return parts
}

/// A printable form of bytes for a failure message.
public func show(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes.prefix(512), as: UTF8.self).debugDescription
}

/// Hands the process to libFuzzer, which calls `body` once per input; returns its exit status.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, body)
}
