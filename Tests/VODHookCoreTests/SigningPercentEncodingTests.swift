import Testing
import VODHookCore

@Suite struct SigningPercentEncodingTests {
    @Test(
        "percent-encoding keeps only A-Z a-z 0-9 - _ . ~ and writes every other UTF-8 byte as upper-case %XY",
        arguments: [
            (" ", "%20"), ("*", "%2A"), (",", "%2C"), (":", "%3A"), ("/", "%2F"), ("~", "~"),
            ("中", "%E4%B8%AD"), ("+", "%2B"), ("=", "%3D"), ("&", "%26"), ("😀", "%F0%9F%98%80"),
            ("%", "%25"), ("AZaz09-_.", "AZaz09-_."), ("a b*c~d", "a%20b%2Ac~d"), ("", ""),
            ("é", "%C3%A9"), ("\n", "%0A"), ("?#[]@!$'()", "%3F%23%5B%5D%40%21%24%27%28%29"),
        ] as [(String, String)])
    func encode(plain: String, encoded: String) {
        #expect(ACSPercentEncoding.encode(plain) == encoded)
        #expect(ACSPercentEncoding.decode(encoded) == plain)
    }

    @Test("a space is never written as +, and a + read back stays a +")
    func noPlusForSpace() {
        #expect(!ACSPercentEncoding.encode("a b c").contains("+"))
        #expect(ACSPercentEncoding.decode("a+b") == "a+b")
    }

    @Test(
        "decoding refuses broken escapes and bytes that are not UTF-8",
        arguments: ["%", "%2", "%G0", "abc%", "%FF", "%E4%B8"])
    func decodeRefuses(text: String) {
        #expect(ACSPercentEncoding.decode(text) == nil)
    }

    @Test("lower-case escapes decode too")
    func lowerCaseEscapes() {
        #expect(ACSPercentEncoding.decode("%e4%b8%ad%2a") == "中*")
    }

    @Test("a raw query splits into decoded items in order")
    func decodeQuery() {
        let items = ACSPercentEncoding.decodeQuery("b=%E4%B8%AD&a=x%20y&flag&c=1%3D2")
        #expect(
            items == [
                ACSQueryItem(name: "b", value: "中"), ACSQueryItem(name: "a", value: "x y"),
                ACSQueryItem(name: "flag", value: ""), ACSQueryItem(name: "c", value: "1=2"),
            ])
        #expect(ACSPercentEncoding.decodeQuery("a=%ZZ") == nil)
        #expect(ACSPercentEncoding.decodeQuery("") == [])
    }

    @Test("the canonical query sorts names byte-wise and case-sensitively, so a comes after Z")
    func byteWiseSort() {
        let items = ["a": "1", "Z": "2", "B": "3", "_": "4", "AB": "5", "Ab": "6", "A": "7"]
            .map { ACSQueryItem(name: $0.key, value: $0.value) }
        #expect(ACSPercentEncoding.canonicalQuery(items) == "A=7&AB=5&Ab=6&B=3&Z=2&_=4&a=1")
    }

    @Test("repeated names sort by value, so the order given does not matter")
    func repeatedNames() {
        let forward = [ACSQueryItem(name: "k", value: "b"), ACSQueryItem(name: "k", value: "a")]
        #expect(ACSPercentEncoding.canonicalQuery(forward) == "k=a&k=b")
        #expect(ACSPercentEncoding.canonicalQuery(forward.reversed()) == "k=a&k=b")
    }

    @Test("no items give an empty canonical query")
    func emptyQuery() {
        #expect(ACSPercentEncoding.canonicalQuery([]) == "")
    }
}
