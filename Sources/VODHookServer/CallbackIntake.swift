import Logging
public import VODHook
public import VODHookCore

/// What the callback URL does with a request: authenticate, size, validate, record durably.
///
/// Nothing is written for a refused request (no one can fill the disk without the key), and
/// nothing is answered 200 before its line is fdatasync'd. `CallbackChannelHandler` runs these
/// steps on the event loop as the request's parts arrive.
public struct CallbackIntake: Sendable {
    /// The rules in force; ``reload(_:)`` swaps them between requests.
    private let live: LiveCallbackRules
    /// Empty while serve reads the ledger at start: callbacks are answered 503 meanwhile.
    public let ledger: LedgerGate
    public let rejections: RejectionLog
    /// Unix seconds, for the timestamp window.
    public let now: @Sendable () -> Int64
    private let accepted = CallbackMetrics()
    /// Answers per minute, for the dashboard: refusals are counted nowhere else by time.
    public let tally: CallbackTally

    public init(
        paths: [String], verifier: CallbackVerifier?, maxBody: Int, ledger: LedgerWriter,
        rejections: RejectionLog, trustedProxies: TrustedProxies = .none, tally: CallbackTally? = nil,
        now: @escaping @Sendable () -> Int64
    ) {
        self.init(
            paths: paths, verifier: verifier, maxBody: maxBody, gate: LedgerGate(ledger), rejections: rejections,
            trustedProxies: trustedProxies, tally: tally, now: now)
    }

    public init(
        paths: [String], verifier: CallbackVerifier?, maxBody: Int, gate: LedgerGate,
        rejections: RejectionLog, trustedProxies: TrustedProxies = .none, tally: CallbackTally? = nil,
        now: @escaping @Sendable () -> Int64
    ) {
        self.live = LiveCallbackRules(
            CallbackRules(paths: paths, verifier: verifier, maxBody: maxBody, trustedProxies: trustedProxies))
        self.ledger = gate
        self.rejections = rejections
        self.tally = tally ?? CallbackTally(startSeconds: now())
        self.now = now
    }

    /// An intake checking callbacks against `rules` until ``reload(_:)``.
    public init(
        rules: CallbackRules, ledger: LedgerWriter, rejections: RejectionLog, tally: CallbackTally? = nil,
        now: @escaping @Sendable () -> Int64
    ) {
        self.init(rules: rules, gate: LedgerGate(ledger), rejections: rejections, tally: tally, now: now)
    }

    /// The same, for a ledger that is still opening (``LedgerGate``).
    public init(
        rules: CallbackRules, gate: LedgerGate, rejections: RejectionLog, tally: CallbackTally? = nil,
        now: @escaping @Sendable () -> Int64
    ) {
        self.init(
            paths: rules.paths, verifier: rules.verifier, maxBody: rules.maxBody, gate: gate, rejections: rejections,
            trustedProxies: rules.trustedProxies, tally: tally, now: now)
    }

    /// The rules in force now: a request reads them once, at its head.
    public var rules: CallbackRules { live.rules }

    /// Puts `rules` in force for the requests whose head comes next (SIGHUP); a request already
    /// started keeps the rules it was admitted with.
    public func reload(_ rules: CallbackRules) { live.replace(with: rules) }

    public var paths: [String] { rules.paths }
    public var maxBody: Int { rules.maxBody }

    /// What the head alone decides, before any body byte is read: the signature and a declared
    /// size. Each header's values come joined by ", " when it was sent more than once.
    func admit(timestamp: String?, signature: String?, contentLength: String?, rules: CallbackRules) throws(CallbackRefusal) {
        if let verifier = rules.verifier {
            do {
                try verifier.verify(timestamp: timestamp, signature: signature, now: now())
            } catch {
                throw .unauthenticated(error)
            }
        }
        if let length = contentLength.flatMap(Int.init), length > rules.maxBody {
            throw .tooLarge
        }
        // After the signature: an unsigned request learns nothing about the server's state.
        if ledger.current == nil { throw .ledgerOpening }
    }

    /// Validates a whole body and hands its record to the ledger; `completion` is told once it
    /// is durable (or why not), on the ledger's thread.
    func record(body: [UInt8], completion: @escaping @Sendable (Result<LedgerWriter.Outcome, CallbackRefusal>) -> Void)
        throws(CallbackRefusal)
    {
        let envelope: EventEnvelope
        do {
            envelope = try EventParser.envelope(of: body)
        } catch {
            throw .badEvent(error)
        }
        guard let ledger = ledger.current else { throw .ledgerOpening }
        ledger.append(.event(EventRecord(envelope: envelope, body: body))) { [accepted, tally, now] result in
            switch result {
            case .success(let outcome):
                accepted.accepted(eventType: envelope.eventType, duplicate: outcome.isDuplicate)
                tally.accepted(atSeconds: now())
                completion(.success(outcome))
            case .failure(let error):
                completion(.failure(.notRecorded(error)))
            }
        }
    }

    /// Counts and logs (rate-limited) a refused request. A 503 too: the ledger writer logs the
    /// failure itself once, and a disk that is full must not also take a log line per request.
    /// The client is the peer, or the address a trusted proxy forwarded for it.
    func refused(_ refusal: CallbackRefusal, peer: PeerAddress, forwardedFor: String?, realIP: String? = nil) {
        let client = rules.trustedProxies.forwardedClient(peer: peer, forwardedFor: forwardedFor, realIP: realIP)
        tally.refused(atSeconds: now())
        rejections.record(
            status: refusal.statusCode, reason: refusal.code, client: client ?? peer.description,
            proxy: client == nil ? nil : peer.description, forwardedFor: client == nil ? forwardedFor : nil, now: now())
    }
}

/// Why a callback was not recorded, and how it is answered: 401/403 for the signature, 400 for
/// the body, 413 for its size, 503 when the ledger could not make it durable (VOD retries).
public enum CallbackRefusal: Error, Sendable {
    case unauthenticated(CallbackAuthError)
    case badEvent(EventRejection)
    case tooLarge
    /// The body stopped arriving for the idle timeout.
    case bodyTimeout
    /// The request was not read whole within the request timeout of its head.
    case requestTimeout
    case notRecorded(LedgerWriteError)
    /// The server is still reading the ledger at start: nothing can be recorded yet.
    case ledgerOpening

    public var statusCode: Int {
        switch self {
        case .unauthenticated(let error): error.statusCode
        case .badEvent: 400
        case .tooLarge: 413
        case .bodyTimeout, .requestTimeout: 408
        case .notRecorded, .ledgerOpening: 503
        }
    }

    /// `Retry-After` seconds: only while the ledger opens, when the wait is known to be short.
    public var retryAfter: Int? {
        if case .ledgerOpening = self { return LedgerGate.retryAfterSeconds }
        return nil
    }

    /// The class of problem, in the body and the rejection counter; never an expected value.
    public var code: String {
        switch self {
        case .unauthenticated(let error): error.label
        case .badEvent: "bad_event"
        case .tooLarge: "too_large"
        case .bodyTimeout: "body_timeout"
        case .requestTimeout: "request_timeout"
        case .notRecorded: "ledger_unavailable"
        case .ledgerOpening: "ledger_opening"
        }
    }

    public var reason: String {
        switch self {
        case .unauthenticated(let error): error.reason
        case .badEvent(let rejection): rejection.reason
        case .tooLarge: "the body is larger than --max-body"
        case .bodyTimeout: "the body stopped arriving"
        case .requestTimeout: "the request took too long to arrive"
        // The errno text stays in the server log; the client learns only that it should retry.
        case .notRecorded: "the event could not be recorded; retry"
        case .ledgerOpening: "the server is starting and reading its ledger; retry"
        }
    }
}

extension CallbackAuthError {
    /// 401 when the headers are missing or unreadable, 403 when they are readable and wrong.
    public var statusCode: Int {
        switch self {
        case .missingHeader, .malformedTimestamp, .malformedSignature: 401
        case .stale, .signatureMismatch: 403
        }
    }
}

extension LedgerWriter.Outcome {
    var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
