import FuzzSupport

@testable import VODHookCore

#if canImport(Glibc)
import Glibc
#endif

// Ledger lines: the fast LedgerLineScanner that start-up and queries use, the strict decoder
// that `ledger verify` uses, and the encoder that writes them.
//
// The input is read three ways:
// 1. as a line read back from disk: where the scanner and the strict decoder both read it, they
//    read the same entry; LedgerLine.read never refuses what the strict decoder reads; the seq at
//    a line's start (kept for torn lines) is the seq the decoder reads;
// 2. as a callback body: when the request path accepts it, the event line written for it is one
//    line (one newline, at the end) that both readers read back as the entry written;
// 3. as the strings of a submission (cut at NUL bytes): likewise for a `submitted` line.

exit(runFuzzer(fuzzLedger))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLedger(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    readBack(input)
    if let envelope = try? EventParser.envelope(of: input) {
        roundTrip(.event(EventRecord(envelope: envelope, body: input)), seed: input)
    }
    roundTrip(.submitted(submission(input)), seed: input)
    return 0
}

func readBack(_ line: [UInt8]) {
    let scanned = line.withUnsafeBufferPointer(LedgerLineScanner.scan)
    let strict = try? LedgerLine.decode(line)
    if let scanned, let strict {
        check(scanned == strict, "scanner \(scanned) but decoder \(strict): \(show(line))")
    }
    if let strict {
        check((try? LedgerLine.read(line[...])) == strict, "read() refused or differs from decode(): \(show(line))")
        if let leading = LedgerLine.leadingSeq(line) {
            check(leading == strict.seq, "leadingSeq \(leading) but seq \(strict.seq): \(show(line))")
        }
    }
}

func roundTrip(_ record: LedgerRecord, seed: [UInt8]) {
    // seq and `at` from the input too, `at` from 1970 to the end of 9999.
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in seed { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
    let seq = hash >> 1
    let at = Int64(hash % 253_402_300_800_000)
    let submissionSeq: UInt64? = hash & 1 == 0 ? nil : hash >> 7
    let line = LedgerLine.encode(seq: seq, at: at, record: record, submissionSeq: submissionSeq)
    check(
        line.last == 0x0A && line.dropLast().allSatisfy { $0 != 0x0A && $0 != 0x0D },
        "an encoded line is not one line: \(show(line))")
    check(TornTail.validLength(chunk: line, chunkOffset: 0) == Int64(line.count), "a whole line looks torn")
    let body = Array(line.dropLast())
    let expected = LedgerEntry(seq: seq, at: at, record: record, submissionSeq: submissionSeq)
    let strict = Result { () throws(LedgerLineError) in try LedgerLine.decode(body) }
    check((try? strict.get()) == expected, "decode() read \(strict), wrote \(expected): \(show(body))")
    let fast = body.withUnsafeBufferPointer(LedgerLineScanner.scan)
    check(fast == nil || fast == expected, "scanner read \(String(describing: fast)), wrote \(expected): \(show(body))")
    check(LedgerLine.leadingSeq(body) == seq, "leadingSeq of a written line")
}

/// A submission whose strings come from the input (cut at NUL bytes), whatever their bytes.
func submission(_ input: [UInt8]) -> SubmissionRecord {
    let parts = fields(input, count: 8).map { String(decoding: $0, as: UTF8.self) }
    func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
    let outcomes = SubmissionRecord.Outcome.allCases
    let selector = input.first.map(Int.init) ?? 0
    let error =
        selector & 0x10 == 0
        ? nil
        : SubmissionRecord.Failure(
            code: optional(parts[5]), message: parts[6], requestId: optional(parts[7]),
            httpStatus: selector & 0x20 == 0 ? nil : selector * 7)
    return SubmissionRecord(
        outcome: outcomes[selector % outcomes.count], mediaId: parts[0], aiType: parts[1], jobId: optional(parts[2]),
        requestId: optional(parts[3]), aiConfig: optional(parts[4]), userData: optional(parts[5]),
        chain: optional(parts[6]), attempt: Int(input.count), resubmitOf: optional(parts[7]), error: error,
        intentSeq: selector & 0x40 == 0 ? nil : UInt64(input.count) << 20)
}
