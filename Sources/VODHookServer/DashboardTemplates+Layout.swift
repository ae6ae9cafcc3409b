/// The pages' templates, as Swift constants (no bundle resources to ship with the binary).
/// `{{ }}` escapes for HTML; the one triple mustache, `{{{chart}}}`, is ``CallbackChart``'s SVG,
/// built from numbers only. Ledger text is never put unescaped.
enum DashboardTemplates {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <title>{{title}} · vodhook</title>
        <link rel="stylesheet" href="/dashboard.css">
        </head>
        <body>
        <header>
        <a class="brand" href="/">vodhook</a>
        <nav><a href="/">Overview</a><a href="/jobs">Jobs</a><a href="/dead">Dead letters</a><a href="/api/overview">JSON</a></nav>
        </header>
        <main>
        <h1>{{title}}</h1>

        """

    static let foot = """
        </main>
        <footer>Read-only view of the ledger · rendered {{renderedAt}}</footer>
        </body>
        </html>

        """
}
