import Foundation
import Mustache
import VODHook
import VODHookCore

/// The dashboard's HTML: each page a template (``DashboardTemplates``) rendered from the same
/// model the page's `/api/…` twin encodes, wrapped in a small context of its own.
struct DashboardPages: Sendable {
    private let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        let templates = [
            "head": DashboardTemplates.head, "foot": DashboardTemplates.foot, "overview": DashboardTemplates.overview,
            "jobs": DashboardTemplates.jobs, "job": DashboardTemplates.job, "dead": DashboardTemplates.dead,
        ]
        for (name, text) in templates {
            // The templates are constants, parsed by the tests too: a typo cannot reach a release.
            if let template = try? MustacheTemplate(string: text) { library.register(template, named: name) }
        }
        self.library = library
    }

    func render(_ context: some DashboardPageContext, template: String) -> String {
        library.render(context, withTemplate: template) ?? "<!DOCTYPE html><title>vodhook</title><p>page missing</p>"
    }
}

/// What every page's frame reads: its title, when it was rendered, and whether it refreshes itself.
protocol DashboardPageContext {}

struct OverviewPage: DashboardPageContext {
    struct StateCount {
        let name: String
        let count: Int
    }

    let title = "Overview"
    /// Seconds: the overview is the page left open on a screen.
    let refresh = 30
    let renderedAt: String
    let overview: DashboardOverview
    let states: [StateCount]
    let ledgerSize: String
    let chart: String
    let chartHours = DashboardOverview.chartMinutes / 60
    /// `2026-12-03 16:49 UTC`: the JSON's instant, shorter.
    let refusedSince: String

    init(_ overview: DashboardOverview, now: Int64) {
        renderedAt = EventTime.rfc3339(milliseconds: now)
        self.overview = overview
        states = JobState.allCases.map { StateCount(name: $0.rawValue, count: overview.jobs[$0.rawValue] ?? 0) }
        ledgerSize = Self.size(overview.ledgerBytes)
        chart = CallbackChart().svg(overview.chartSeries)
        refusedSince = overview.refusedSince.prefix(10) + " " + overview.refusedSince.dropFirst(11).prefix(5) + " UTC"
    }

    /// `812 B`, `3.4 KiB`, `12.0 MiB`.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if value < 1024 || unit == "GiB" { return "\((value * 10).rounded() / 10) \(unit)" }
            value /= 1024
        }
        return "\(bytes) B"
    }
}

struct JobsPage: DashboardPageContext {
    /// A page stays light on a ledger of a million jobs: the latest ones, newest first; the
    /// filters (or `/api/jobs`) reach the rest.
    static let maxRows = 500

    struct StateOption {
        let value: String
        let selected: Bool
    }

    let title = "Jobs"
    let refresh: Int? = nil
    let renderedAt: String
    let states: [StateOption]
    let mediaId: String
    let since: String
    let error: String?
    let rows: [DashboardJobRow]
    let count: Int
    let shown: Int
    /// More rows matched than are shown.
    let cut: Bool
}

struct JobPage: DashboardPageContext {
    let title: String
    let refresh: Int? = nil
    let renderedAt: String
    let job: DashboardJob?
}

struct DeadPage: DashboardPageContext {
    let title = "Dead letters"
    let refresh: Int? = nil
    let renderedAt: String
    let letters: [DashboardDeadLetter]
    let count: Int
}
