import Metrics
import VODHookCore

/// `vodhook_ledger_file_opens_total{file="live|rotated"}`: how often this process opened a ledger
/// file to read it. Start-up reads every file once; after that, a rotated file is opened only
/// by a query that needs its lines (`/api/...`, a handler's look-up), never by a reconcile round.
enum LedgerFileOpens {
    private static let live = Counter(label: "vodhook_ledger_file_opens_total", dimensions: [("file", "live")])
    private static let rotated = Counter(label: "vodhook_ledger_file_opens_total", dimensions: [("file", "rotated")])

    static func count(_ file: LedgerFileName) {
        if file == .live { live.increment() } else { rotated.increment() }
    }
}
