/// The open jobs in the checkpoint's binary form (section 5, version 2), also the body of the
/// control socket's `GET /v1/jobs/open`: read back with no JSON and no string made for an ID
/// of VOD's shapes (``PackedText``).
extension OpenJobs: CheckpointPayload {
    func writePayload(into out: inout some CheckpointOutput) {
        out.u64(UInt64(rows.count))
        for row in rows.ordered { row.write(to: &out) }
        out.u64(UInt64(byJob.count))
        for (job, first) in byJob {
            job.write(to: &out)
            out.u64(first)
        }
        out.u64(UInt64(bySubmission.count))
        for (seq, first) in bySubmission {
            out.u64(seq)
            out.u64(first)
        }
        out.u64(UInt64(closedSending.count))
        for (seq, job) in closedSending {
            out.u64(seq)
            out.string(job)
        }
    }

    init(checkpoint reader: inout CheckpointReader) throws(CheckpointError) {
        self.init()
        var listed: [JobBook.Row] = []
        let count = try reader.count(minimumBytes: 40)
        listed.reserveCapacity(count)
        var previous: UInt64?
        for _ in 0..<count {
            let row = try JobBook.Row(checkpoint: &reader)
            guard previous.map({ $0 < row.firstSeq }) ?? true else { throw .corrupt("open jobs out of order") }
            previous = row.firstSeq
            listed.append(row)
        }
        rows = OpenRows(ordered: listed)
        let jobs = try reader.count(minimumBytes: 9)
        byJob.reserveCapacity(jobs)
        for _ in 0..<jobs {
            guard let job = try PackedText.read(from: &reader) else { throw .corrupt("open job without a JobId") }
            byJob[job] = try reader.u64()
        }
        let submissions = try reader.count(minimumBytes: 16)
        bySubmission.reserveCapacity(submissions)
        for _ in 0..<submissions { bySubmission[try reader.u64()] = try reader.u64() }
        for _ in 0..<(try reader.count(minimumBytes: 12)) { closedSending[try reader.u64()] = try reader.string() }
    }
}

extension JobBook.Row {
    func write(to out: inout some CheckpointOutput) {
        out.text(packedJobId)
        out.text(packedMediaId)
        out.text(packedRequestId)
        out.u8(UInt8(JobState.allCases.firstIndex(of: state) ?? 0))
        out.u8(outcome.flatMap { SubmissionRecord.Outcome.allCases.firstIndex(of: $0) }.map { UInt8($0 + 1) } ?? 0)
        out.u8(present)
        out.u64(firstSeq)
        out.u64(rawSubmissionSeq)
        out.u64(UInt64(bitPattern: rawSubmittedAt))
        out.u64(rawLastEventSeq)
        out.u64(UInt64(bitPattern: rawLastEventAt))
        out.u64(UInt64(bitPattern: Int64(rawAttempt)))
        out.u64(UInt64(bitPattern: Int64(eventCount)))
        out.u64(UInt64(bitPattern: Int64(differingBodies)))
        out.optionalString(aiType)
        out.optionalString(lastStatus)
        out.optionalString(lastSource)
        out.optionalString(otherChain)
        if let failure = error {
            out.u8(1)
            out.optionalString(failure.code)
            out.string(failure.message)
            out.optionalString(failure.requestId)
            out.u8(failure.httpStatus == nil ? 0 : 1)
            out.u64(UInt64(bitPattern: Int64(failure.httpStatus ?? 0)))
        } else {
            out.u8(0)
        }
    }

    init(checkpoint reader: inout CheckpointReader) throws(CheckpointError) {
        let jobId = try PackedText.read(from: &reader)
        let mediaId = try PackedText.read(from: &reader)
        let requestId = try PackedText.read(from: &reader)
        let stateIndex = Int(try reader.u8())
        guard stateIndex < JobState.allCases.count else { throw .corrupt("job state") }
        let outcomeIndex = Int(try reader.u8())
        guard outcomeIndex <= SubmissionRecord.Outcome.allCases.count else { throw .corrupt("submission outcome") }
        let present = try reader.u8()
        self.init(state: JobState.allCases[stateIndex], firstSeq: 0)
        packedJobId = jobId
        packedMediaId = mediaId
        packedRequestId = requestId
        outcome = outcomeIndex == 0 ? nil : SubmissionRecord.Outcome.allCases[outcomeIndex - 1]
        self.present = present
        firstSeq = try reader.u64()
        rawSubmissionSeq = try reader.u64()
        rawSubmittedAt = Int64(bitPattern: try reader.u64())
        rawLastEventSeq = try reader.u64()
        rawLastEventAt = Int64(bitPattern: try reader.u64())
        rawAttempt = Int(Int64(bitPattern: try reader.u64()))
        eventCount = Int(Int64(bitPattern: try reader.u64()))
        differingBodies = Int(Int64(bitPattern: try reader.u64()))
        aiType = try reader.optionalString()
        lastStatus = try reader.optionalString()
        lastSource = try reader.optionalString()
        let otherChain = try reader.optionalString()
        var failure: SubmissionRecord.Failure?
        if try reader.u8() == 1 {
            let code = try reader.optionalString()
            let message = try reader.string()
            let failureRequestId = try reader.optionalString()
            let hasStatus = try reader.u8() == 1
            let status = Int(Int64(bitPattern: try reader.u64()))
            failure = SubmissionRecord.Failure(
                code: code, message: message, requestId: failureRequestId, httpStatus: hasStatus ? status : nil)
        }
        rare = RareFields.make(otherChain: otherChain, failure: failure.map(FailureBox.init))
    }
}
