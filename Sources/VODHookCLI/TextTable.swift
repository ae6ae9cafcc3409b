import Foundation

/// Left-aligned columns, two spaces apart.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        // `jobs --status pending` may list 500 k rows: all-ASCII cells (the usual: IDs, times,
        // states) are laid out by bytes, the same text the general path below gives.
        if rows.allSatisfy({ $0.allSatisfy(isASCII) }) { return renderASCII(rows) }
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    private static func isASCII(_ cell: String) -> Bool { cell.utf8.allSatisfy { $0 < 0x80 } }

    private static func renderASCII(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        var total = 0
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.utf8.count) }
        }
        total = rows.count * (widths.reduce(0, +) + 2 * columns + 1)
        var out: [UInt8] = []
        out.reserveCapacity(total)
        for (number, row) in rows.enumerated() {
            if number > 0 { out.append(UInt8(ascii: "\n")) }
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
                out.append(contentsOf: cell.utf8)
                if index < row.count - 1 {
                    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[index] - cell.utf8.count))
                }
            }
        }
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }
}
