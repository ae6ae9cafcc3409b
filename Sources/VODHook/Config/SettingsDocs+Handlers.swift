extension SettingsDocs {
    /// The example file's closing section: handlers are a list, not settings, so they are shown
    /// commented out (a test parses them uncommented).
    static let handlersExample = """
        # --- Handlers (README, "Handlers") ---------------------------------------------------------
        # A program run once per matching event, without a shell, the event's JSON on its stdin, in an
        # environment of PATH and VODHOOK_* only (plus what env lists). Uncomment to use.
        # handlers:
        #   - name: notify
        #     match: { event: AIVideoTagComplete, status: success }
        #     exec:
        #       argv: ["/usr/local/bin/notify", "--job", "{job_id}", "--media", "{media_id}", "--seq", "{seq}"]
        #       timeout: 30s        # then SIGTERM to the program's process group,
        #       kill_after: 5s      # and SIGKILL to it this much later if anything in it still runs
        #       max_concurrent: 4
        #       cwd: /var/lib/vodhook
        #       output_cap: 64KiB   # of stdout and of stderr, kept for the run's log line
        #       env: [LANG]         # passed through from vodhook's environment; or { NAME: value }

        """
}
