import FuzzSupport
import VODHookCore

#if canImport(Glibc)
import Glibc
#endif

// The torn-tail scan start-up runs on the live ledger file: walking back from the end in chunks
// (as TornTailRecovery does, with a chunk size the input chooses), the length kept is the offset
// just past the last newline (0 with none), whatever the chunk boundaries, and never more than
// the file.

exit(runFuzzer(fuzzTornTail))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTornTail(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard let first = input.first else { return 0 }
    let file = Array(input.dropFirst())
    let chunkSize = Int(first) + 1
    let expected = Int64(file.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)

    var end = file.count
    var kept: Int64?
    var steps = 0
    while kept == nil {
        let start = max(0, end - chunkSize)
        kept = TornTail.validLength(chunk: file[start..<end], chunkOffset: Int64(start))
        end = start
        steps += 1
        check(steps <= file.count / chunkSize + 2, "the walk back does not end")
    }
    check(kept == expected, "kept \(String(describing: kept)) of \(file.count) with chunks of \(chunkSize), expected \(expected)")
    return 0
}
