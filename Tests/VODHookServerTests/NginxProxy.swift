import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
// sockaddr_in may be owned by NIO's C shim module, depending on which module clang built first.
#if canImport(CNIOLinux)
import CNIOLinux
#endif

/// Real nginx with deploy/nginx/vodhook.conf, run as a child in a sandbox: a self-signed
/// certificate made with openssl, the placeholders filled in, every path nginx writes in the
/// sandbox, HTTPS on a loopback port. Requests go through curl, a real TLS client.
struct NginxProxy {
    let sandbox: ProcessSandbox
    let child: ProcessChild
    let port: Int
    let certificate: String
    let curl: String

    /// Starts nginx in front of vodhook's `socket`; returns once it accepts connections.
    static func start(_ sandbox: ProcessSandbox, socket: String) async throws -> NginxProxy {
        let nginx = try DeploySupport.require("nginx", package: "nginx")
        let openssl = try DeploySupport.require("openssl", package: "openssl")
        let curl = try DeploySupport.require("curl", package: "curl")
        let directory = sandbox.file("nginx")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let made = try await sandbox.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-keyout", key, "-out", certificate, "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        guard made.exit.isCleanExit else { throw ProcessHarnessError("openssl req failed: \(made)") }

        let port = try ProcessFiles.freePort()
        var site = try DeploySupport.file("nginx/vodhook.conf")
        let name = "deploy/nginx/vodhook.conf"
        try DeploySupport.substitute(&site, "{{SERVER_NAME}}", with: "localhost", in: name)
        try DeploySupport.substitute(&site, "{{CERTIFICATE}}", with: certificate, in: name)
        try DeploySupport.substitute(&site, "{{CERTIFICATE_KEY}}", with: key, in: name)
        try DeploySupport.substitute(&site, "unix:/run/vodhook/vodhook.sock", with: "unix:" + socket, in: name)
        try DeploySupport.substitute(&site, "listen 443 ssl;", with: "listen 127.0.0.1:\(port) ssl;", in: name)
        try DeploySupport.substitute(&site, "listen [::]:443 ssl;", with: "", in: name)
        try Data(site.utf8).write(to: URL(fileURLWithPath: directory + "/vodhook.conf"))
        // The process model is the test's, not the file's: one process in the foreground, as the
        // user running the tests (who can reach the socket), writing only into the sandbox.
        let main = """
            master_process off;
            daemon off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log info;
            events { worker_connections 64; }
            http {
                access_log \(directory)/access.log;
                client_body_temp_path \(directory)/client_body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                include \(directory)/vodhook.conf;
            }
            """
        try Data(main.utf8).write(to: URL(fileURLWithPath: directory + "/nginx.conf"))
        let child = try ProcessChild(
            executable: nginx, arguments: ["-p", directory, "-c", directory + "/nginx.conf", "-e", directory + "/error.log"],
            directory: directory, environment: ProcessBinary.environment(),
            stdoutPath: directory + "/nginx.out", stderrPath: directory + "/nginx.err")
        let proxy = NginxProxy(sandbox: sandbox, child: child, port: port, certificate: certificate, curl: curl)
        let up = await ProcessPoll.until(timeout: .seconds(15)) { child.exit != nil || Self.accepts(port: port) }
        guard up, child.exit == nil else {
            child.forceKill()
            throw ProcessHarnessError("nginx did not start: \(child.exit.map { "\($0)" } ?? "no listener")\n\(proxy.errorLog)")
        }
        return proxy
    }

    var errorLog: String { (try? String(contentsOfFile: sandbox.file("nginx/error.log"), encoding: .utf8)) ?? "" }

    func stop() {
        child.signal(SIGTERM)
        for _ in 0..<300 where child.isRunning { usleep(10_000) }
        child.forceKill()
    }

    /// One HTTPS request through nginx with curl (certificate checked against the one made here).
    func request(
        _ path: String, method: String = "POST", headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> ProcessHTTPAnswer {
        let tag = UUID().uuidString.prefix(8)
        let output = sandbox.file("nginx/answer-\(tag)")
        var arguments = ["-sS", "--http1.1", "--cacert", certificate, "-o", output, "-w", "%{http_code}", "-X", method]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            let file = sandbox.file("nginx/body-\(tag)")
            try Data(body).write(to: URL(fileURLWithPath: file))
            arguments += ["--data-binary", "@" + file]
        }
        let result = try await sandbox.run(curl, arguments + ["https://127.0.0.1:\(port)\(path)"])
        guard result.exit.isCleanExit, let status = Int(result.stdout) else {
            throw ProcessHarnessError("curl failed: \(result)")
        }
        let answer = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return ProcessHTTPAnswer(status: status, body: answer)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
