import VODHookCore

extension SettingKey {
    /// The one declaration of this setting. A new setting is a case of ``SettingKey``, a field of
    /// ``ServeSettings`` and an entry here; then `scripts/settings-docs` and a `@Option` in Serve.
    public var declaration: SettingDeclaration {
        switch self {
        case .listen:
            SettingDeclaration(
                "address", default: .value(ServeSettings.defaultListen.description), reload: .restart,
                doc: "Where the callback listener accepts connections: HOST:PORT, [IPv6]:PORT, :PORT (every IPv4 interface) "
                    + "or unix:PATH (a socket made mode 0660, removed on exit).",
                show: { $0.listen.description }
            ) { settings, input throws(ConfigError) in
                settings.listen = try input.parse(expected: ListenAddress.expected, ListenAddress.init)
            }
        case .adminListen:
            SettingDeclaration(
                "address", default: .unset("on listen"), reload: .restart,
                doc:
                    "A separate listener for /healthz, /readyz, Prometheus /metrics, /status and the dashboard (the same syntax as "
                    + "listen); unset, /healthz and /readyz are served on listen and /metrics, /status and the dashboard nowhere.",
                example: "\"127.0.0.1:9090\"",
                show: { $0.adminListen?.description ?? "(same listener)" }
            ) { settings, input throws(ConfigError) in
                settings.adminListen = try input.parse(expected: ListenAddress.expected, ListenAddress.init)
            }
        case .publicURL:
            SettingDeclaration(
                "url", .list, default: .value(ServeSettings.defaultPublicURL), reload: .live,
                doc: "The callback URL exactly as configured in VOD: the signature covers all of it and its path is the route. "
                    + "Several when jobs override the callback URL; a signature is valid for any of them.",
                example:
                    "[\"https://media.example.com/vod/callback?tenant=a\", \"https://media.example.com/vod/callback?tenant=b\"]",
                show: { $0.publicURLs.joined(separator: ",") }
            ) { settings, input throws(ConfigError) in
                guard !input.values.isEmpty else {
                    throw .invalidValue(key: input.name, source: input.source, value: nil, expected: "one or more URLs")
                }
                settings.publicURLs = try input.parseEach(expected: SettingValue.expectedURL, SettingValue.callbackURL)
            }
        case .keyFile:
            SettingDeclaration(
                "path", default: .unset("<data_dir>/callback-key, generated"), reload: .live,
                doc: "A file of accepted callback keys, one a line (# comments), mode 0600 and owned by the user serve runs as; "
                    + "two during a key rotation. Read again on SIGHUP.",
                details: "With no key configured at all, the first start generates a random key into <data_dir>/callback-key "
                    + "(mode 0600) and says so: enter it in the VOD console.",
                example: "\"/etc/vodhook/callback-keys\"",
                show: { $0.keyFile ?? "(none)" }
            ) { settings, input throws(ConfigError) in
                settings.keyFile = try input.parse(expected: SettingValue.expectedPath, SettingValue.path)
            }
        case .callbackKeys:
            SettingDeclaration(
                "key", .list, default: .unset("none"), reload: .live, secret: true,
                doc: "Callback keys given directly, accepted after key_file's. Secret: prefer key_file.",
                details: "No flag: a key on the command line is visible in `ps`. A config file is often readable by others "
                    + "and copied around.",
                example: "[\"replace-with-your-key\"]",
                show: { "<\($0.callbackKeys.count) hidden>" }
            ) { settings, input throws(ConfigError) in
                // Named by position, never shown.
                for (index, key) in input.values.enumerated() where !CallbackKeyRules.isValid(key) {
                    throw .invalidCallbackKey(key: input.name, source: input.source, position: index + 1)
                }
                settings.callbackKeys = input.values
            }
        case .dataDir:
            SettingDeclaration(
                "path", default: .value(ServeSettings.defaultDataDir), reload: .restart,
                doc: "Where the ledger (ledger.jsonl and its rotated files), its lock and a generated callback key live.",
                show: { $0.dataDir }
            ) { settings, input throws(ConfigError) in
                settings.dataDir = try input.parse(expected: SettingValue.expectedPath, SettingValue.path)
            }
        case .maxSkew:
            SettingDeclaration(
                "seconds", default: .value("\(ServeSettings.defaultMaxSkew)"), reload: .live,
                doc: "How far, in seconds, a callback's X-VOD-TIMESTAMP may be from the server's clock (1 to 3600).",
                details: "VOD does not sign the body: keep this short, a wider window only helps a replay.",
                show: { "\($0.maxSkew)" }
            ) { settings, input throws(ConfigError) in
                let range = ServeSettings.maxSkewRange
                settings.maxSkew = try input.parse(expected: SettingValue.expectedSeconds(in: range)) {
                    SettingValue.wholeNumber($0, in: range)
                }
            }
        case .maxBody:
            SettingDeclaration(
                "size", default: .value("1MiB"), reload: .live,
                doc: "The largest callback body accepted; a larger one is answered 413 and not recorded. Bytes, or with "
                    + "k/KiB, m/MiB, g/GiB (KB and MB are refused as ambiguous).",
                show: { "\($0.maxBody)" }
            ) { settings, input throws(ConfigError) in
                settings.maxBody = try input.parse(expected: ByteSize.expected, ByteSize.parse)
            }
        case .rotateSize:
            SettingDeclaration(
                "size", default: .value("256MiB"), reload: .live,
                doc: "Rotate ledger.jsonl (to ledger-<first seq>-<last seq>.jsonl) once it reaches this size; "
                    + "the syntax of max_body.",
                show: { "\($0.rotateSize)" }
            ) { settings, input throws(ConfigError) in
                settings.rotateSize = try input.parse(expected: ByteSize.expected, ByteSize.parse)
            }
        case .dedupWindow:
            SettingDeclaration(
                "span", default: .value("24h"), reload: .restart,
                doc: "How long an event's dedup key, and a job that has ended, are remembered after its line: the same "
                    + "event again within it is a duplicate, after it a new line (at least 1m).",
                details: "Keys of events whose job is still pending are kept until it ends. VOD retries within seconds; "
                    + "keep it longer than reconcile_every, so a late callback after a poll result is still a duplicate "
                    + "(docs/ledger.md, \"Duplicates and how long they are remembered\").",
                show: { "\($0.dedupWindow)ms" }
            ) { settings, input throws(ConfigError) in
                settings.dedupWindow = try input.parse(expected: "a span of at least 1m such as 6h, 24h or 7d") {
                    SettingValue.span($0).flatMap { $0 >= 60_000 ? $0 : nil }
                }
            }
        case .maxConnections:
            SettingDeclaration(
                "count", default: .value("\(ServeSettings.defaultMaxConnections)"), reload: .restart,
                doc: "Connections each listener holds at once; more wait in the kernel's backlog (not refused) until one closes.",
                details: "Counted (vodhook_connection_limit_reached_total) and logged at most every 10 s when reached. "
                    + "serve raises its soft open-file limit to the hard one at start (systemd's default soft limit is 1024) "
                    + "and lowers this cap, with a warning, if the limit cannot hold it plus 256 files of its own.",
                show: { "\($0.maxConnections)" }
            ) { settings, input throws(ConfigError) in
                let range = ServeSettings.maxConnectionsRange
                settings.maxConnections = try input.parse(
                    expected: "a whole number from \(range.lowerBound) to \(range.upperBound)"
                ) {
                    SettingValue.wholeNumber($0, in: range)
                }
            }
        case .idleTimeout:
            SettingDeclaration(
                "seconds", default: .value("\(ServeSettings.defaultIdleTimeout)"), reload: .restart,
                doc: "Seconds a connection may stay silent (no request, or a request whose bytes stop) before it is closed, "
                    + "on every listener (1 to 3600).",
                show: { "\($0.idleTimeout)" }
            ) { settings, input throws(ConfigError) in
                let range = ServeSettings.idleTimeoutRange
                settings.idleTimeout = try input.parse(expected: SettingValue.expectedSeconds(in: range)) {
                    SettingValue.wholeNumber($0, in: range)
                }
            }
        case .insecureNoAuth:
            SettingDeclaration(
                "bool", .toggle, default: .value("false"), reload: .restart,
                doc: "Accept callbacks WITHOUT checking their signature: anyone who can reach the listener can write the ledger. "
                    + "Local experiments only: refused unless listen is loopback or unix:, and warned loudly.",
                show: { "\($0.insecureNoAuth)" }
            ) { settings, input throws(ConfigError) in
                settings.insecureNoAuth = try input.parse(expected: SettingValue.expectedBool, SettingValue.bool)
            }
        case .logLevel:
            SettingDeclaration(
                "level", default: .value(ServeSettings.defaultLogLevel), reload: .live,
                doc: "The lowest level logged: " + ServeSettings.logLevels.joined(separator: ", ") + ".",
                show: { $0.logLevel }
            ) { settings, input throws(ConfigError) in
                settings.logLevel = try input.parse(
                    expected: "one of " + ServeSettings.logLevels.joined(separator: ", "), SettingValue.logLevel)
            }
        case .logFormat:
            SettingDeclaration(
                "format", default: .value(LogFormat.text.rawValue), reload: .restart,
                doc: "How log lines are written on stderr: text (for people) or json (one object per line, for log shippers).",
                show: { $0.logFormat.rawValue }
            ) { settings, input throws(ConfigError) in
                settings.logFormat = try input.parse(
                    expected: "one of " + LogFormat.allCases.map(\.rawValue).joined(separator: ", "), SettingValue.logFormat)
            }
        case .reconcileEvery:
            SettingDeclaration(
                "span", default: .unset("never"), reload: .restart,
                doc:
                    "Ask VOD (ListAIJob) this often, e.g. 10m, about submitted jobs still pending, and record the finished ones; "
                    + "needs the ALIBABA_CLOUD_* credentials, else serve refuses to start.",
                details: "VOD drops a callback after three failed attempts. The AccessKey comes from ALIBABA_CLOUD_ACCESS_KEY_ID "
                    + "and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS) or "
                    + "~/.alibabacloud/credentials.ini (mode 0600): never put it in this file. Spans: 90s, 10m, 2h, 1d.",
                example: "10m",
                show: { $0.reconcileEvery.map { "\($0)ms" } ?? "(never)" }
            ) { settings, input throws(ConfigError) in
                settings.reconcileEvery = try input.parse(expected: SettingValue.expectedSpan, SettingValue.span)
            }
        case .reconcileOlderThan:
            SettingDeclaration(
                "span", default: .value("10m"), reload: .restart,
                doc: "Reconcile only jobs submitted at least this long ago (younger ones are probably still running).",
                show: { "\($0.reconcileOlderThan)ms" }
            ) { settings, input throws(ConfigError) in
                settings.reconcileOlderThan = try input.parse(expected: SettingValue.expectedSpan) {
                    TimeSpec.duration($0.trimmingWhitespace())
                }
            }
        case .region:
            SettingDeclaration(
                "region", default: .value(VODEndpoint.defaultRegion), reload: .restart,
                doc: "The VOD API region, for reconcile: its endpoint is https://vod.<region>.aliyuncs.com.",
                show: { _ in nil }
            ) { settings, input throws(ConfigError) in
                settings.endpoint = try input.parse(expected: "a region ID such as cn-shanghai") { try? VODEndpoint(region: $0) }
            }
        case .endpoint:
            SettingDeclaration(
                "url", default: .unset("the region's"), reload: .restart,
                doc: "The VOD API endpoint URL, for reconcile (a private gateway, say); wins over region.",
                show: { $0.endpoint.description }
            ) { settings, input throws(ConfigError) in
                settings.endpoint = try input.parse(expected: "an http(s)://host[:port] URL with no path") {
                    try? VODEndpoint(url: $0)
                }
            }
        case .signatureVersion:
            SettingDeclaration(
                "version", default: .value(SigningStyle.v3.rawValue), reload: .restart,
                doc: "How VOD API calls are signed: v3 (ACS3-HMAC-SHA256, the SDKs' default) or rpc (HMAC-SHA1).",
                show: { $0.signatureVersion.rawValue }
            ) { settings, input throws(ConfigError) in
                settings.signatureVersion = try input.parse(expected: "v3 or rpc", SigningStyle.init(rawValue:))
            }
        case .trustedProxy:
            SettingDeclaration(
                "address", .list, default: .unset("none"), reload: .live,
                doc: "A proxy whose X-Forwarded-For / X-Real-IP name the client in logs: an IP address, or unix for the peers "
                    + "of a unix socket listener (nginx in front). List only proxies you run, which overwrite those headers.",
                example: "[unix]",
                show: { $0.trustedProxies.description }
            ) { settings, input throws(ConfigError) in
                guard let trusted = TrustedProxies(input.values) else {
                    let bad = input.values.first { TrustedProxies([$0]) == nil }
                    throw .invalidValue(key: input.name, source: input.source, value: bad, expected: TrustedProxies.expected)
                }
                settings.trustedProxies = trusted
            }
        }
    }
}
