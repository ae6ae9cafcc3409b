#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
public import VODHookCore

/// Reads the ledger's files in order, line by line, without taking the writer's lock: safe while
/// `vodhook serve` appends (a reader sees whole lines up to where it stops, and the last line it
/// sees may still be growing, which it reports as unterminated).
public struct LedgerReader: Sendable {
    public let dataDir: String

    public init(dataDir: String) {
        self.dataDir = dataDir
    }

    /// The ledger files present, in reading order (rotated by first seq, then `ledger.jsonl`).
    public func files() throws(SystemError) -> [LedgerFileName] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dataDir)
        } catch {
            throw SystemError("list", path: dataDir, errno: FileIO.exists(dataDir) ? EACCES : ENOENT)
        }
        return LedgerFileName.readingOrder(names)
    }

    /// One line of a ledger file.
    public struct Line {
        public let file: LedgerFileName
        /// 1-based.
        public let number: Int
        /// The bytes without the newline.
        public let bytes: ArraySlice<UInt8>
        /// False for a last line with no newline yet (torn, or being written right now).
        public let terminated: Bool
    }

    /// Calls `body` for every line of every file in reading order.
    public func forEachLine(_ body: (Line) throws -> Void) throws {
        for file in try files() {
            try forEachLine(in: file, body)
        }
    }

    /// Calls `body` for every line of one file; a file that vanished (rotated away meanwhile) is skipped.
    public func forEachLine(in file: LedgerFileName, _ body: (Line) throws -> Void) throws {
        let path = dataDir + "/" + file.name
        guard FileIO.exists(path) else { return }
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        var carry: [UInt8] = []
        var number = 0
        var offset: Int64 = 0
        let chunkSize = 1 << 20
        while true {
            let chunk = try FileIO.readAt(fd, count: chunkSize, offset: offset, path: path)
            if chunk.isEmpty { break }
            offset += Int64(chunk.count)
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                number += 1
                if carry.isEmpty {
                    try body(Line(file: file, number: number, bytes: chunk[start..<newline], terminated: true))
                } else {
                    carry.append(contentsOf: chunk[start..<newline])
                    try body(Line(file: file, number: number, bytes: carry[...], terminated: true))
                    carry.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            carry.append(contentsOf: chunk[start...])
        }
        if !carry.isEmpty {
            try body(Line(file: file, number: number + 1, bytes: carry[...], terminated: false))
        }
    }
}
