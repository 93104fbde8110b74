// One mutation of a valid input for the mutation tests: bit flips, bytes parsers treat specially,
// inserted, removed and repeated runs, truncation.
#pragma once

#include <algorithm>
#include <random>
#include <string>

inline std::string mutate(std::string input, std::mt19937_64& rng)
{
    const auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        switch (rng() % 6) {
        case 0: // flip a bit
            if (!input.empty())
                input[pick(input.size())] ^= static_cast<char>(1u << (rng() % 8));
            break;
        case 1: { // a byte parsers treat specially
            static const char special[] = { 0, '\xff', '\x7f', '\x80', ',', '"', '\n', '{', '[', '-', '9', 'e' };
            if (!input.empty())
                input[pick(input.size())] = special[rng() % sizeof special];
            break;
        }
        case 2: // insert random bytes
            input.insert(pick(input.size() + 1), std::string(1 + rng() % 8, static_cast<char>(rng())));
            break;
        case 3: // remove a run
            if (!input.empty()) {
                const auto at = pick(input.size());
                input.erase(at, 1 + pick(std::min<std::size_t>(16, input.size() - at)));
            }
            break;
        case 4: // repeat a run
            if (!input.empty()) {
                const auto at = pick(input.size());
                input.insert(at, input.substr(at, 1 + pick(32)));
            }
            break;
        default: // truncate
            input.resize(pick(input.size() + 1));
        }
    }
    return input;
}
