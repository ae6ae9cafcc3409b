extension DashboardTemplates {
    static let overview = """
        {{>head}}
        <section class="cards">
        <div class="card {{#overview.ready}}good{{/overview.ready}}{{^overview.ready}}bad{{/overview.ready}}">
        <span class="label">Ledger</span><span class="value" id="ready">{{#overview.ready}}ready{{/overview.ready}}{{^overview.ready}}not ready{{/overview.ready}}</span>
        <span class="note">{{overview.ledgerFiles}} file(s), {{ledgerSize}}{{#overview.lastSeq}}, last seq {{overview.lastSeq}}{{/overview.lastSeq}}</span>
        </div>
        <div class="card"><span class="label">Accepted, last hour</span><span class="value" id="accepted-hour">{{overview.acceptedLastHour}}</span>
        <span class="note">{{overview.acceptedLastDay}} in the last day</span></div>
        <div class="card {{^equalzero(overview.refusedLastHour)}}warn{{/equalzero(overview.refusedLastHour)}}"><span class="label">Refused, last hour</span><span class="value" id="refused-hour">{{overview.refusedLastHour}}</span>
        <span class="note">{{overview.refusedLastDay}} in the last day (counted since {{refusedSince}})</span></div>
        </section>
        <h2>Callbacks per minute, last {{chartHours}} hours (UTC)</h2>
        <figure>
        {{{chart}}}
        <figcaption><span class="key accepted"></span> accepted <span class="key refused"></span> refused</figcaption>
        </figure>
        <h2>Jobs</h2>
        <table class="states">
        <thead><tr>{{#states}}<th><span class="state state-{{name}}">{{name}}</span></th>{{/states}}</tr></thead>
        <tbody><tr>{{#states}}<td><a href="/jobs?state={{name}}" id="jobs-{{name}}">{{count}}</a></td>{{/states}}</tr></tbody>
        </table>
        {{^equalzero(overview.unreadableLines)}}<p class="warning">{{overview.unreadableLines}} ledger line(s) could not be read: run <code>vodhook ledger verify</code>.</p>{{/equalzero(overview.unreadableLines)}}
        {{>foot}}
        """
}
