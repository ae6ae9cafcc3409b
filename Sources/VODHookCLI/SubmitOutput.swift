import Foundation
import VODHook
import VODHookCore

/// `submit`'s output: results on stdout (a table, or JSON Lines), notes on stderr.
struct Output: Sendable {
    let json: Bool

    func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One JSON object per recorded job: its ledger seq and the `submitted` line's fields.
    func printJSON(_ done: SubmitRunner.Done) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (record, seq) in zip(done.records, done.seqs) {
            guard let data = try? encoder.encode(Printed(seq: seq, record: record)) else { continue }
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    func table(_ done: [SubmitRunner.Done]) {
        var rows = [["MEDIA", "TYPE", "OUTCOME", "JOB", "SEQ"]]
        for item in done {
            for (record, seq) in zip(item.records, item.seqs) {
                rows.append([record.mediaId, record.aiType, record.outcome.rawValue, record.jobId ?? "-", String(seq)])
            }
        }
        print(TextTable.render(rows), terminator: "")
    }

    private struct Printed: Encodable {
        let seq: UInt64
        let record: SubmissionRecord

        func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(seq, forKey: .seq)
        }

        enum Key: String, CodingKey { case seq }
    }
}
