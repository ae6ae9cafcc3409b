extension SettingsDocs {
    /// The example file's closing section: handlers are a list, not settings, so they are shown
    /// commented out (a test parses them uncommented).
    static let handlersExample = """
        # --- Handlers: act on every event ------------------------------------------------------------
        # What to do with each recorded event, run from the ledger after VOD has its 200 (never on the
        # request path), at least once, across crashes and restarts: handlers must be idempotent (README,
        # "Handlers"). Validated at start and by `vodhook config check --config FILE`. Uncomment to use.
        # handlers:
        #   - name: save                      # in every handled/dead line; renaming makes a new handler
        #     match: { event: VideoAIComplete, status: success }   # also ai_type, media_prefix, correlated
        #     write: { dir: /var/lib/vodhook/results }             # <dir>/<MediaId>/<JobId>.<AIType>.json
        #     retry: { max_attempts: 5, backoff: 10s, max_backoff: 10m }   # the defaults
        #   - name: notify                    # a program, no shell, the event's JSON on its stdin, in an
        #     match: { event: AIVideoTagComplete, status: success }   # environment of PATH and VODHOOK_*
        #     exec:
        #       argv: ["/usr/local/bin/notify", "--job", "{job_id}", "--media", "{media_id}", "--seq", "{seq}"]
        #       timeout: 30s        # then SIGTERM to the program's process group,
        #       kill_after: 5s      # and SIGKILL to it this much later if anything in it still runs
        #       max_concurrent: 4
        #       cwd: /var/lib/vodhook
        #       output_cap: 64KiB   # of stdout and of stderr, kept for the run's log line
        #       env: [LANG]         # passed through from vodhook's environment; or { NAME: value }
        #   - name: retry                     # a failed job submitted again (paid calls; needs the AccessKey)
        #     match: { event: VideoAIComplete, status: fail }
        #     resubmit: { max_attempts: 3, backoff: 1m, confirm: true }

        """
}
