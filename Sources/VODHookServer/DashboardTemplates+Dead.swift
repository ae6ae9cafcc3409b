extension DashboardTemplates {
    static let dead = """
        {{>head}}
        <p class="count"><span id="dead-count">{{count}}</span> dead letter(s){{^empty(letters)}}; <code>vodhook replay --dead</code> runs them again{{/empty(letters)}}</p>
        <table class="list">
        <thead><tr><th>Handler</th><th>Seq</th><th>Event</th><th>Job</th><th>Media</th><th>Attempts</th><th>Died</th><th>Reason</th></tr></thead>
        <tbody>
        {{#letters}}<tr><td>{{handler}}</td><td>{{eventSeq}}</td><td>{{eventType}}</td><td>{{#link}}<a href="{{link}}">{{jobId}}</a>{{/link}}</td><td>{{mediaId}}</td><td>{{attempts}}</td><td>{{at}}</td><td>{{reason}}</td></tr>
        {{/letters}}
        {{^letters}}<tr><td colspan="8" class="empty">no dead letters</td></tr>{{/letters}}
        </tbody>
        </table>
        {{>foot}}
        """
}
