import Foundation
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `<data-dir>/checkpoints/dead-letters.json`: the dispatcher's ``DeadLetters``, beside its
/// marks. Only a shortcut: a reader that finds it missing, unreadable or of another version folds
/// the whole ledger instead, and gets the same letters (deleting it changes no answer).
///
/// Written whole or not at all (temp, fsync, rename, directory fsync), so a reader never takes a
/// torn file for a short list.
public enum DeadLetterFile {
    public static let name = "dead-letters.json"

    /// What a read found.
    public enum Loaded: Sendable {
        case letters(DeadLetters)
        /// Why there is nothing to start from (for the log line of the full read).
        case none(String)
    }

    static func path(_ dataDir: String) -> String { dataDir + "/" + CheckpointStore.directoryName + "/" + name }

    public static func read(dataDir: String) -> Loaded {
        guard let data = FileManager.default.contents(atPath: path(dataDir)) else { return .none("no \(name)") }
        guard let letters = DeadLetters.decode(data) else {
            return .none("\(name) does not read (damaged or of another version)")
        }
        return .letters(letters)
    }

    public static func write(_ letters: DeadLetters, dataDir: String) throws {
        let directory = dataDir + "/" + CheckpointStore.directoryName
        if mkdir(directory, 0o750) == 0 {
            try FileIO.syncDirectory(dataDir)
        } else if errno != EEXIST {
            throw SystemError("mkdir", path: directory, errno: errno)
        }
        try FileIO.replace(
            path(dataDir), with: try letters.encoded(), temporary: directory + "/." + name + ".tmp", directory: directory)
    }
}

extension DeadLetters {
    /// Looks up the event of each letter that has none yet: at `positions[seq]` when given (one
    /// read), else through the one file whose name says it holds the seq. An event no longer in
    /// the data directory resolves to empty fields.
    mutating func resolveEvents(dataDir: String, positions: [UInt64: LedgerPosition] = [:]) throws {
        for seq in unresolved {
            let found = try LedgerEventLookup.event(dataDir: dataDir, seq: seq, position: positions[seq])
            resolve(seq, Event(found?.entry))
        }
    }
}
