import Foundation
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `<data-dir>/checkpoints/dispatch-marks.json`: the dispatcher's ``DispatchMarks``, one JSON
/// object. Written to a temporary name and renamed, without fsync: after a crash the file is
/// the previous marks, or empty, and either is safe (see ``DispatchMarks``), so a flush per
/// write would buy nothing.
public enum DispatchMarkFile {
    public static let name = "dispatch-marks.json"

    static func path(_ dataDir: String) -> String { dataDir + "/" + CheckpointStore.directoryName + "/" + name }

    /// The marks, or nil (no file, or one that does not read: the start reads every line).
    public static func read(dataDir: String) -> DispatchMarks? {
        guard let data = FileManager.default.contents(atPath: path(dataDir)) else { return nil }
        return try? JSONDecoder().decode(DispatchMarks.self, from: data)
    }

    public static func write(_ marks: DispatchMarks, dataDir: String) throws {
        let directory = dataDir + "/" + CheckpointStore.directoryName
        if mkdir(directory, 0o750) != 0, errno != EEXIST {
            throw SystemError("mkdir", path: directory, errno: errno)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(marks)
        data.append(0x0A)
        let temporary = directory + "/." + name + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path(dataDir)) == 0 else {
            throw SystemError("rename", path: temporary, errno: errno)
        }
    }
}
