#pragma once

#include <stdexcept>
#include <string>

namespace maas::engine {

/// What kind of failure an Error reports, so callers can choose an exit code or an icon.
enum class ErrorKind {
    NotFound, ///< a file or folder that is not there
    InvalidModel, ///< a file that is not a usable TorchScript model
    InvalidInput, ///< an input that does not fit the model or the command
    InvalidCard, ///< a model card that cannot be read or set
    Io, ///< reading or writing failed for a reason outside the program
    Cancelled, ///< the user cancelled
    Internal, ///< a LibTorch failure that none of the above explains
};

/// The one exception type the engine throws. what() is a sentence a person can act on:
/// what failed, on which file or field, and what to do about it.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message)
        : std::runtime_error(message)
        , m_kind(kind)
    {
    }
    ErrorKind kind() const { return m_kind; }

private:
    ErrorKind m_kind;
};

} // namespace maas::engine
