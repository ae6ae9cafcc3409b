import Foundation
import Testing
import VODHook
import VODHookCore

/// `vodhook jobs --since` reads only the files that can hold its window's lines and keeps only
/// the rows that can still be listed; it lists what a book of the whole ledger lists.
@Suite("jobs --since: the window's rows only")
struct JobWindowTests {
    @Test("the same rows as a whole book, from fewer files and fewer rows kept")
    func sameRows() throws {
        let dir = TemporaryDataDir()
        // 20 minutes between lines (a job's lines lie up to 32 hours apart, more than the margin): ~150 hours, so a day's margin leaves whole files unread.
        let fixture = try JobLedgerFixture(jobs: 96, step: 1_200_000)
        try fixture.write(to: dir.path, perFile: 24)
        let (whole, _) = try JobBook.read(dataDir: dir.path)
        let lines = UInt64(fixture.lineCount)
        var skippedSome = false
        for fraction in [0.0, 0.3, 0.5, 0.7, 0.9, 1.0] {
            let since = JobLedgerFixture.start + Int64(Double(lines) * fraction) * 1_200_000
            let (window, _) = try JobBook.read(dataDir: dir.path, since: since)
            for state in [nil] + JobState.allCases.map(Optional.some) {
                #expect(
                    window.rows(state: state, since: since).map { $0.jsonLine() }
                        == whole.rows(state: state, since: since).map { $0.jsonLine() },
                    "since \(fraction), \(String(describing: state))")
            }
            #expect(window.rows.count <= whole.rows.count)
            if fraction >= 0.7 {
                // Rows first recorded before the window are not kept.
                #expect(window.rows.count < whole.rows.count / 2, "since \(fraction)")
                skippedSome = true
            }
        }
        #expect(skippedSome)

        // The oldest file is not read for a late window: its first line made unreadable is not
        // counted, while a whole read counts it.
        let oldest = try LedgerReader(dataDir: dir.path).files()[0]
        let path = dir.path + "/" + oldest.name
        try (Data("not a ledger line\n".utf8) + Data(contentsOf: URL(fileURLWithPath: path))).write(
            to: URL(fileURLWithPath: path))
        let late = JobLedgerFixture.start + Int64(Double(lines) * 0.9) * 1_200_000
        #expect(try JobBook.read(dataDir: dir.path, since: late).unreadable == 0)
        #expect(try JobBook.read(dataDir: dir.path).unreadable == 1)
        #expect(!whole.rows(since: JobLedgerFixture.start + Int64(Double(lines) * 0.5) * 1_200_000).isEmpty)
    }
}
