internal import Configuration

/// A provider over one immutable snapshot, such as a ``YAMLSnapshot`` parsed from bytes already read.
///
/// swift-configuration's `FileProvider` does the same but reads the file itself, asynchronously;
/// `serve` reads the file once, checks its keys with Yams and hands the very same bytes to the
/// snapshot, so what is checked is what is read, and loading stays synchronous.
struct SnapshotProvider<Snapshot: ConfigSnapshot>: ConfigProvider {
    let fixedSnapshot: Snapshot

    var providerName: String { fixedSnapshot.providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try fixedSnapshot.value(forKey: key, type: type)
    }

    func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    nonisolated(nonsending) func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey,
        type: ConfigType,
        updatesHandler: nonisolated(nonsending) (
            _ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
        ) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot { fixedSnapshot }

    nonisolated(nonsending) func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
