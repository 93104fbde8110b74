// A TCP proxy on loopback that sits between a client and a real maas-serve and injects the faults a
// network has: a connection cut in the middle of a request, answers of 500, and silence. Plain POSIX
// sockets on its own threads, so a blocking client in the test's thread never waits on the proxy.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <list>
#include <mutex>
#include <string>
#include <thread>

namespace publish_test {

class FaultProxy {
public:
    /// Cut the connection that carries the client's byte number `cutAfter`, counted over all connections
    /// from when it is set (once); 0: never.
    std::atomic<long long> cutAfter { 0 };
    /// Answer this many connections with a 500 and close them.
    std::atomic<int> fail500 { 0 };
    /// Read everything, answer nothing.
    std::atomic<bool> silent { false };
    std::atomic<int> cuts { 0 };
    std::atomic<int> failures { 0 };

    explicit FaultProxy(int upstreamPort)
        : m_upstream(upstreamPort)
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a = loopback(0);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_listener, 64);
        socklen_t len = sizeof a;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        m_accepter = std::thread([this] { acceptLoop(); });
    }

    ~FaultProxy()
    {
        m_stop = true;
        ::shutdown(m_listener, SHUT_RDWR);
        ::close(m_listener);
        m_accepter.join();
        std::lock_guard lock(m_mutex);
        for (auto& t : m_pumps)
            t.join();
    }

    int port = 0;

private:
    static sockaddr_in loopback(int port)
    {
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return a;
    }

    void acceptLoop()
    {
        while (!m_stop) {
            const int client = ::accept(m_listener, nullptr, nullptr);
            if (client < 0)
                return;
            std::lock_guard lock(m_mutex);
            m_pumps.emplace_back([this, client] { serve(client); });
        }
    }

    void serve(int client)
    {
        if (fail500.load() > 0) {
            --fail500;
            ++failures;
            char buffer[65536];
            pollfd p { client, POLLIN, 0 };
            if (::poll(&p, 1, 2000) > 0) [[maybe_unused]]
                auto n = ::recv(client, buffer, sizeof buffer, 0);
            const std::string answer
                = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                  "Content-Length: 30\r\nConnection: close\r\n\r\n{\"error\":\"injected by a test\"}";
            [[maybe_unused]] auto n = ::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
            ::close(client);
            return;
        }
        const int server = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a = loopback(m_upstream);
        if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(client);
            ::close(server);
            return;
        }
        char buffer[65536];
        pollfd fds[2] = { { client, POLLIN, 0 }, { server, POLLIN, 0 } };
        while (!m_stop) {
            if (::poll(fds, 2, 200) <= 0)
                continue;
            if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                const auto n = ::recv(client, buffer, sizeof buffer, 0);
                if (n <= 0)
                    break;
                if (cutAfter.load() > 0 && (m_counted += n) >= cutAfter.load()) {
                    cutAfter = 0;
                    m_counted = 0;
                    ++cuts;
                    break; // the connection drops in the middle of what the client sends
                }
                if (!silent && ::send(server, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
                    break;
            }
            if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                const auto n = ::recv(server, buffer, sizeof buffer, 0);
                if (n <= 0 || ::send(client, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
                    break;
            }
        }
        ::shutdown(client, SHUT_RDWR);
        ::close(client);
        ::close(server);
    }

    int m_upstream;
    int m_listener = -1;
    std::atomic<bool> m_stop { false };
    std::atomic<long long> m_counted { 0 };
    std::thread m_accepter;
    std::mutex m_mutex;
    std::list<std::thread> m_pumps;
};

} // namespace publish_test
