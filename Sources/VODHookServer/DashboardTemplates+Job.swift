extension DashboardTemplates {
    static let job = """
        {{>head}}
        {{#job}}
        <p class="summary">Chain <code>{{chain}}</code> · state <span class="state state-{{state}}" id="job-state">{{state}}</span></p>
        <table class="list">
        <thead><tr><th>Job</th><th>Type</th><th>Media</th><th>Attempt</th><th>State</th><th></th></tr></thead>
        <tbody>
        {{#jobs}}<tr><td><a href="{{link}}">{{jobId}}</a></td><td>{{type}}</td><td>{{mediaId}}</td><td>{{attempt}}</td><td><span class="state state-{{state}}">{{state}}</span></td><td>{{#unsolicited}}not submitted by vodhook{{/unsolicited}}{{^equalzero(differingBodies)}} <span class="warning">events with another body: confirm with VOD before acting</span>{{/equalzero(differingBodies)}}</td></tr>
        {{/jobs}}
        </tbody>
        </table>
        <h2>Ledger lines</h2>
        {{#lines}}
        <article class="line kind-{{kind}}">
        <header><span class="seq">seq {{seq}}</span> <time>{{at}}</time> <strong>{{kind}}</strong>
        {{#eventType}} {{eventType}}{{/eventType}}{{#status}} <span class="state state-{{status}}">{{status}}</span>{{/status}}
        {{#source}} <span class="muted">({{source}}{{#answersSeq}}, answers seq {{answersSeq}}{{/answersSeq}}{{^answersSeq}}, uncorrelated{{/answersSeq}})</span>{{/source}}
        {{#outcome}} {{outcome}}{{/outcome}}{{#requestId}} <span class="muted">RequestId {{requestId}}</span>{{/requestId}}
        {{#jobId}} <span class="muted">job {{jobId}}</span>{{/jobId}}
        {{#bodyDiffersFrom}} <span class="warning">body differs from seq {{bodyDiffersFrom}}</span>{{/bodyDiffersFrom}}
        </header>
        {{#error}}<p class="warning">{{error}}</p>{{/error}}
        {{#result}}
        {{^empty(tags)}}<table class="result"><thead><tr><th>Tag group</th><th>Tag</th><th>Times (ms)</th></tr></thead><tbody>
        {{#tags}}<tr><td>{{group}}</td><td>{{tag}}</td><td>{{times}}</td></tr>{{/tags}}
        </tbody></table>{{/empty(tags)}}
        {{^empty(matches)}}<table class="result"><thead><tr><th>DNA match</th><th>Similarity</th><th>Segments (input ~ duplicate)</th></tr></thead><tbody>
        {{#matches}}<tr><td>{{primaryKey}}</td><td>{{similarity}}</td><td>{{segments}}</td></tr>{{/matches}}
        </tbody></table>{{/empty(matches)}}
        {{^empty(verdicts)}}<table class="result"><thead><tr><th>Audit module</th><th>Suggestion</th><th>Label</th><th>Max score</th></tr></thead><tbody>
        {{#verdicts}}<tr><td>{{module}}</td><td><span class="verdict verdict-{{suggestion}}">{{suggestion}}</span></td><td>{{label}}</td><td>{{maxScore}}</td></tr>{{/verdicts}}
        </tbody></table>{{/empty(verdicts)}}
        {{#raw}}<pre class="raw">{{raw}}</pre>{{/raw}}
        {{/result}}
        {{^empty(handlers)}}<ul class="handlers">{{#handlers}}<li class="handler handler-{{state}}">handler <strong>{{handler}}</strong>: {{summary}}</li>{{/handlers}}</ul>{{/empty(handlers)}}
        </article>
        {{/lines}}
        {{/job}}
        {{>foot}}
        """
}
