extension DashboardTemplates {
    static let jobs = """
        {{>head}}
        <form class="filters" method="get" action="/jobs">
        <label>State <select name="state"><option value="">any</option>{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/states}}</select></label>
        <label>MediaId <input name="media_id" value="{{mediaId}}" size="34"></label>
        <label>Since <input name="since" value="{{since}}" placeholder="2h or 2026-11-26T06:00:00Z" size="26"></label>
        <button type="submit">Filter</button> <a href="/jobs">clear</a>
        </form>
        {{#error}}<p class="warning">{{error}}</p>{{/error}}
        <p class="count"><span id="job-count">{{count}}</span> job(s){{#cut}}; the latest <span id="job-shown">{{shown}}</span> shown, newest first: narrow them with the filters{{/cut}}</p>
        <table class="list">
        <thead><tr><th>Job</th><th>Type</th><th>Media</th><th>Submitted</th><th>State</th><th>Age</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="{{link}}">{{jobId}}</a></td><td>{{type}}</td><td>{{mediaId}}</td><td>{{submittedAt}}</td><td><span class="state state-{{state}}">{{state}}</span></td><td>{{age}}</td></tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="6" class="empty">no jobs</td></tr>{{/rows}}
        </tbody>
        </table>
        {{>foot}}
        """
}
