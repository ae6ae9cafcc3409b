/// Where VOD offers each AI job type. SubmitAIJob in another region is refused by VOD, or worse
/// accepted into a job that never runs; `vodhook submit` stops before the call instead. The offer
/// can grow, hence `--any-region`. Both types are paid features; AIMediaDNA also needs a
/// fingerprint library set up in the VOD console first.
public enum AIJobRegions {
    /// Region IDs per type, as VOD lists them.
    public static let offered: [String: [String]] = [
        "AIMediaDNA": ["cn-beijing", "cn-shanghai", "ap-southeast-1"],
        "AIVideoTag": ["cn-beijing", "cn-shanghai"],
    ]

    /// The types among `types` that VOD does not offer in `region`, in order. `cn-hangzhou` counts as
    /// `cn-shanghai`, whose endpoint serves it. A type not in the table is not judged here.
    public static func unavailable(_ types: [String], in region: String) -> [String] {
        let id = region.lowercased() == "cn-hangzhou" ? "cn-shanghai" : region.lowercased()
        return types.filter { type in offered[type].map { !$0.contains(id) } ?? false }
    }

    /// Why `type` cannot be submitted in `region`, for the refusal.
    public static func refusal(type: String, region: String) -> String {
        let regions = offered[type]?.joined(separator: ", ") ?? "no region"
        return "VOD does not offer \(type) in region \(region) (only in \(regions))"
    }
}
