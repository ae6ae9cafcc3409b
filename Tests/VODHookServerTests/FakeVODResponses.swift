import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The fake's answers, written with their own encoders so the client's decoders are checked
/// against an independent spelling of VOD's JSON.
enum FakeVODResponses {
    static func requestId() -> String { UUID().uuidString }

    static func json(_ status: Int, _ value: some Encodable) -> Response {
        let bytes = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return raw(status, Array(bytes))
    }

    static func raw(_ status: Int, _ bytes: [UInt8]) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json;charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// VOD's error shape: `{RequestId, HostId, Code, Message, Recommend}`.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The nested types' property names are VOD's JSON keys.
    static func error(_ status: Int, code: String, message: String) -> Response {
        struct Body: Encodable {
            let RequestId: String, HostId: String, Code: String, Message: String, Recommend: String
        }
        let id = requestId()
        return json(
            status,
            Body(
                RequestId: id, HostId: "vod.fake.local", Code: code, Message: message,
                Recommend: "https://api.example.invalid/troubleshoot?q=\(code)&RequestId=\(id)"))
    }

    /// What nginx sends when the upstream failed: HTML, no VOD error body.
    static func proxyPage(_ status: Int) -> Response {
        let page =
            "<html><head><title>\(status)</title></head><body><center><h1>\(status)</h1></center><hr><center>nginx</center></body></html>"
        return Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "text/html"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The nested types' property names are VOD's JSON keys.
    static func submitted(_ jobs: [FakeVODJob]) -> Response {
        struct Job: Encodable {
            let type: String, jobId: String, mediaId: String
            enum CodingKeys: String, CodingKey {
                case type = "Type"
                case jobId = "JobId"
                case mediaId = "MediaId"
            }
        }
        struct List: Encodable { let AIJob: [Job] }
        struct Body: Encodable { let RequestId: String, AIJobList: List }
        return json(
            200,
            Body(
                RequestId: requestId(),
                AIJobList: List(AIJob: jobs.map { Job(type: $0.type, jobId: $0.jobId, mediaId: $0.mediaId) })))
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The nested types' property names are VOD's JSON keys.
    static func listed(_ known: [FakeVODJob], unknown: [String], bareString: Bool) -> Response {
        struct Job: Encodable {
            let jobId: String, mediaId: String, type: String, status: String, creationTime: String
            let code: String?, message: String?, completeTime: String?, data: String?
            enum CodingKeys: String, CodingKey {
                case jobId = "JobId"
                case mediaId = "MediaId"
                case type = "Type"
                case status = "Status"
                case creationTime = "CreationTime"
                case code = "Code"
                case message = "Message"
                case completeTime = "CompleteTime"
                case data = "Data"
            }
        }
        struct List: Encodable { let AIJob: [Job] }
        struct Many: Encodable {
            let ids: [String]
            enum CodingKeys: String, CodingKey { case ids = "String" }
        }
        struct One: Encodable {
            let id: String
            enum CodingKeys: String, CodingKey { case id = "String" }
        }
        struct Body<Missing: Encodable>: Encodable { let RequestId: String, AIJobList: List, NonExistAIJobIds: Missing? }
        let list = List(
            AIJob: known.map {
                let failed = $0.status == "fail"
                return Job(
                    jobId: $0.jobId, mediaId: $0.mediaId, type: $0.type, status: $0.status, creationTime: $0.creationTime,
                    code: $0.status == "success" ? "0" : failed ? "InternalError" : nil,
                    message: $0.status == "success" ? "OK" : failed ? "The job failed." : nil,
                    completeTime: $0.completeTime, data: $0.status == "success" ? resultData($0.type) : nil)
            })
        if bareString, unknown.count == 1 {
            return json(200, Body(RequestId: requestId(), AIJobList: list, NonExistAIJobIds: One(id: unknown[0])))
        }
        return json(
            200,
            Body(
                RequestId: requestId(), AIJobList: list,
                NonExistAIJobIds: unknown.isEmpty ? nil : Many(ids: unknown)))
    }

    /// A job's result as ListAIJob carries it: a string holding JSON.
    static func resultData(_ type: String) -> String {
        type == "AIMediaDNA"
            ? #"{"VideoDNA":[]}"#
            : #"{"Keyword":[{"Tag":"fake","Times":["1000"]}]}"#
    }
}
