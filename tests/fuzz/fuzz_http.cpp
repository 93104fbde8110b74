// Mutation test of maas-serve's whole request path over real sockets: the HTTP parser, access checks,
// the routes, the infer request's JSON and binary tensor codec, the repository API. Each request is a
// real one (infer with JSON and with binary data, text as BYTES, classification, index, load, upload,
// metadata, metrics) mutated in its head, its body (with the length kept right) or as a whole. The server
// must answer or close every one and stay up; at the end it must stop cleanly on SIGTERM. In a build with
// -DMAAS_SANITIZE=ON (scripts/sanitize.sh) a memory error or undefined behaviour aborts the server and
// fails the run.
//
// Usage: fuzz_http MAAS_SERVE CNN_PT TEXT_PT [REQUESTS] [SEED]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mutate.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

std::string run(const std::string& command)
{
    std::string out;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buffer[256];
        while (std::fgets(buffer, sizeof buffer, p))
            out += buffer;
        ::pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

struct Server {
    pid_t pid = -1;
    int port = 0;
};

Server start(const std::string& binary, const fs::path& scratch)
{
    int out[2];
    if (::pipe(out) != 0)
        return {};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, (scratch / "server.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const std::vector<std::string> args = { binary, "--repository", (scratch / "repo").string(), "--tokens",
        (scratch / "tokens").string(), "--infer-needs-token", "--port", "0", "--http-threads", "32", "--header-timeout",
        "2", "--max-body", "4MiB", "--log-json" };
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    Server s;
    if (posix_spawn(&s.pid, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0)
        return {};
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n')
        line += c;
    ::close(out[0]);
    const auto colon = line.rfind(':');
    s.port = colon == std::string::npos ? 0 : std::atoi(line.c_str() + colon + 1);
    return s;
}

// Whether an answer has its headers and the body its Content-Length announces.
bool complete(const std::string& answer)
{
    const auto end = answer.find("\r\n\r\n");
    if (end == std::string::npos)
        return false;
    const auto at = answer.find("Content-Length: ");
    if (at == std::string::npos || at > end)
        return true;
    return answer.size() >= end + 4 + std::strtoull(answer.c_str() + at + 16, nullptr, 10);
}

// Sends a request and reads the answer until the server closes. A request that promised more body than it
// sent gets no answer: after a moment the sending side is closed, which ends it (cpp-httplib does not answer
// a client that closed its side, so this is not done up front).
std::string exchange(int port, const std::string& request)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        std::size_t sent = 0;
        while (sent < request.size()) {
            const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            sent += static_cast<std::size_t>(n);
        }
        pollfd p { fd, POLLIN, 0 };
        bool shut = false;
        char buffer[4096];
        for (;;) {
            if (::poll(&p, 1, shut ? 15000 : 300) <= 0) {
                if (shut)
                    break;
                ::shutdown(fd, SHUT_WR);
                shut = true;
                continue;
            }
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            answer.append(buffer, static_cast<std::size_t>(n));
            if (complete(answer))
                break; // a connection the mutation kept alive is not waited on
        }
    }
    ::close(fd);
    return answer;
}

std::string http(const std::string& method, const std::string& path, const std::string& token, const std::string& body,
    const std::string& extra = {})
{
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra
        + "Connection: close\r\n\r\n" + body;
}

std::vector<std::string> corpus(const std::string& token, const std::string& admin)
{
    std::string pixels;
    for (int i = 0; i < 784; ++i)
        pixels += (i ? "," : "") + std::to_string((i * 37 % 255) / 255.0);
    const std::string tensor = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1,28,28],\"data\":[" + pixels + "]}";
    const std::string header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1,28,28],"
                               "\"parameters\":{\"binary_data_size\":3136}}],\"outputs\":[{\"name\":\"OUTPUT__0\","
                               "\"parameters\":{\"binary_data\":true}}]}";
    std::string binary(3136, '\0');
    for (std::size_t i = 0; i < binary.size(); i += 4)
        binary[i + 3] = 0x3f; // 0.5f, little-endian
    return {
        http("GET", "/v2/health/live", token, ""),
        http("GET", "/v2/models/cnn", token, ""),
        http("GET", "/v2/models/cnn/versions/1/ready", token, ""),
        http("GET", "/v2/models/cnn/config", token, ""),
        http("POST", "/v2/models/cnn/infer", token, "{\"id\":\"7\",\"inputs\":[" + tensor + "]}"),
        http("POST", "/v2/models/cnn/infer", token,
            "{\"inputs\":[" + tensor
                + "],\"outputs\":[{\"name\":\"OUTPUT__0\",\"parameters\":{\"classification\":3}}]}"),
        http("POST", "/v2/models/cnn/infer", token, header + binary,
            "Inference-Header-Content-Length: " + std::to_string(header.size()) + "\r\n"),
        http("POST", "/v2/models/text/infer", token,
            "{\"inputs\":[{\"name\":\"texts\",\"datatype\":\"BYTES\",\"shape\":[2,1],\"data\":[\"I love machine "
            "learning!\",\"\\u00e9t\\u00e9\"]}]}"),
        http("POST", "/v2/repository/index", token, "{\"ready\":true}"),
        http("POST", "/v2/repository/models/nothing/load", token,
            "{\"parameters\":{\"config\":\"{\\\"max_batch_size\\\":4}\",\"file:1/model.pt\":\"UEsDBAAAAA==\"}}"),
        http("POST", "/v2/repository/uploads", token, ""),
        http("PUT", "/v2/repository/uploads/0123456789abcdef0123456789abcdef?offset=0", token, "chunk"),
        http("GET", "/v2/models/stats", token, ""),
        http("GET", "/metrics", admin, ""),
    };
}

// A mutation of the head, of the body (its Content-Length kept right), or of the whole request.
std::string mutated(const std::string& request, std::mt19937_64& rng)
{
    const auto split = request.find("\r\n\r\n");
    const auto head = request.substr(0, split + 4);
    const auto body = request.substr(split + 4);
    switch (rng() % 3) {
    case 0: return mutate(head, rng) + body;
    case 1: {
        const auto changed = mutate(body, rng);
        auto fixed = head;
        const auto at = fixed.find("Content-Length: ") + 16;
        fixed.replace(at, fixed.find("\r\n", at) - at, std::to_string(changed.size()));
        return fixed + changed;
    }
    default: return mutate(request, rng);
    }
}

bool alive(const Server& s) { return ::waitpid(s.pid, nullptr, WNOHANG) == 0; }

} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::cerr << "usage: fuzz_http MAAS_SERVE CNN_PT TEXT_PT [REQUESTS] [SEED]\n";
        return 2;
    }
    const std::string binary = argv[1];
    const long requests = argc > 4 ? std::atol(argv[4]) : 3000;
    const unsigned long long seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
    const fs::path scratch = fs::temp_directory_path() / ("maas-fuzz-http-" + std::to_string(::getpid()));
    for (const auto& [model, file] : { std::pair { "cnn", argv[2] }, { "text", argv[3] } }) {
        fs::create_directories(scratch / "repo" / model / "1");
        fs::copy_file(file, scratch / "repo" / model / "1" / "model.pt");
    }
    const auto tokens = (scratch / "tokens").string();
    const auto token
        = run(binary + " token add --tokens " + tokens + " --id fuzz --scope infer,repository 2>/dev/null");
    const auto admin = run(binary + " token add --tokens " + tokens + " --id ops --scope admin 2>/dev/null");
    const auto server = start(binary, scratch);
    if (server.port <= 0) {
        std::cerr << "fuzz_http: maas-serve did not start; its log: " << (scratch / "server.log") << "\n";
        return 1;
    }
    const auto seeds = corpus(token, admin);
    // Sixteen clients at once: a request the server waits on (a body shorter than its length) costs its
    // client a moment, not the run.
    std::map<std::string, long> statuses;
    std::mutex mutex;
    std::atomic<long> next { 0 };
    std::atomic<bool> down { false };
    const auto began = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < 16; ++c)
        clients.emplace_back([&, c] {
            std::mt19937_64 mine(seed * 1000 + static_cast<unsigned long long>(c));
            for (long i = next++; i < requests && !down; i = next++) {
                const auto& chosen = seeds[mine() % seeds.size()];
                const auto answer = exchange(server.port, mine() % 10 == 0 ? chosen : mutated(chosen, mine));
                const auto code = answer.size() >= 12 && answer.compare(0, 5, "HTTP/") == 0 ? answer.substr(9, 3)
                                                                                            : std::string("closed");
                std::lock_guard lock(mutex);
                ++statuses[code];
                if (i % 500 == 0
                    && (!alive(server) || exchange(server.port, seeds[0]).find(" 200 ") == std::string::npos))
                    down = true;
            }
        });
    for (auto& t : clients)
        t.join();
    const long sent = std::min<long>(next, requests);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    const bool up = alive(server);
    ::kill(server.pid, SIGTERM);
    int status = 0;
    ::waitpid(server.pid, &status, 0);
    const bool clean = up && !down && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::printf("fuzz_http: %ld mutated requests in %.1f s (%.0f a second); answers:", sent, seconds, sent / seconds);
    for (const auto& [code, n] : statuses)
        std::printf(" %s=%ld", code.c_str(), n);
    std::printf("\nfuzz_http: the server %s\n",
        clean ? "answered or closed every request and stopped cleanly" : "failed; its log follows");
    if (!clean) {
        std::ifstream log(scratch / "server.log");
        std::cout << log.rdbuf();
    }
    fs::remove_all(scratch);
    return clean && sent == requests ? 0 : 1;
}
