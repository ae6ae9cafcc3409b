#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process's limit on open files (`RLIMIT_NOFILE`): every connection is one. systemd starts
/// services with a soft limit of 1024, far below what a listener under load holds, and the soft
/// limit may be raised up to the hard one without privilege.
public enum OpenFileLimit {
    /// The limits before and after ``raiseToHard()``.
    public struct Change: Sendable, Equatable {
        public let softBefore: UInt64
        public let soft: UInt64
        /// nil when unlimited.
        public let hard: UInt64?
        /// Why the soft limit could not be raised (`setrlimit`'s errno), or nil.
        public let failure: String?

        public init(softBefore: UInt64, soft: UInt64, hard: UInt64?, failure: String?) {
            self.softBefore = softBefore
            self.soft = soft
            self.hard = hard
            self.failure = failure
        }

        /// The largest connection cap the soft limit holds with `reserved` descriptors kept for
        /// everything else, when `configured` is larger; nil when `configured` fits.
        public func lowered(_ configured: Int, reserved: UInt64 = OpenFileLimit.reservedFiles) -> Int? {
            let room = soft > reserved ? soft - reserved : 1
            return UInt64(configured) > room ? Int(room) : nil
        }
    }

    /// Descriptors kept free of connections: the ledger, its rotation and recovery files, the
    /// control socket's clients, the reconcile client, the logs. Past the limit accept fails
    /// and, worse, the ledger cannot open its next file.
    public static let reservedFiles: UInt64 = 256

    /// Raises the soft limit to the hard one (to 1,048,576, the kernel's usual `nr_open`, when the
    /// hard limit is unlimited). Never lowers it.
    public static func raiseToHard() -> Change {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else {
            let reason = String(cString: strerror(errno))
            return Change(softBefore: 0, soft: 0, hard: nil, failure: "getrlimit: \(reason)")
        }
        let before = UInt64(limit.rlim_cur)
        // RLIM_INFINITY is all ones (it does not import as a Swift constant).
        let hard = limit.rlim_max == rlim_t.max ? nil : UInt64(limit.rlim_max)
        let target = hard ?? (1 << 20)
        guard before < target else { return Change(softBefore: before, soft: before, hard: hard, failure: nil) }
        limit.rlim_cur = rlim_t(target)
        guard setrlimit(resource, &limit) == 0 else {
            let reason = String(cString: strerror(errno))
            return Change(softBefore: before, soft: before, hard: hard, failure: "setrlimit: \(reason)")
        }
        return Change(softBefore: before, soft: target, hard: hard, failure: nil)
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
