import Testing
import VODHookCore

@Suite("Client text in log lines")
struct LogTextTests {
    @Test(
        "printable ASCII is kept; quotes, backslashes, = and everything else are escaped",
        arguments: [
            ("203.0.113.7, 10.0.0.1", "203.0.113.7, 10.0.0.1"),
            ("a\nb", #"a\u{a}b"#),
            ("\"quoted\" \\", #"\"quoted\" \\"#),
            ("k=v", #"k\u{3d}v"#),
            ("\r\t\u{7F}\u{85}", #"\u{d}\u{9}\u{7f}\u{85}"#),
            ("é\u{2028}", #"\u{e9}\u{2028}"#),
            ("", ""),
        ])
    func escapes(input: String, logged: String) {
        #expect(LogText.escaped(input) == logged)
    }

    @Test("a long text is cut at the limit and says how much was left out")
    func bounded() {
        #expect(
            LogText.escaped(String(repeating: "1", count: 300), limit: 256) == String(repeating: "1", count: 256) + "…(44 more)")
        #expect(LogText.escaped("abc", limit: 3) == "abc")
        #expect(LogText.escaped("\n\n\n\n", limit: 2) == #"\u{a}\u{a}…(2 more)"#)
    }
}
