#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace maas::engine {

/// What kind of failure an Error reports, so callers can choose an exit code or an icon.
enum class ErrorKind {
    NotFound, ///< a file or folder that is not there
    InvalidModel, ///< a file that is not a usable TorchScript model
    InvalidInput, ///< an input that does not fit the model or the command
    InvalidCard, ///< a model card that cannot be read or set
    Io, ///< reading or writing failed for a reason outside the program
    Cancelled, ///< the user cancelled
    Unavailable, ///< something that is there but not ready (a served model still loading or unloaded)
    Conflict, ///< a request that does not fit the state it meets (an upload resumed at the wrong offset)
    Internal, ///< a LibTorch failure that none of the above explains
};

/// The one exception type the engine throws. what() is a sentence a person can act on: what failed, on
/// which file or field, and what to do about it. It never names a front end's vocabulary (a command-line
/// flag, a `maas` command, a form field): an error about one option or field carries that field's stable
/// id in field() ("epochs", "learning_rate", "classes", "input_shape", "checkpoint", "freeze",
/// "label_column", "set", ...) and in detail() what is wrong with it, worded to follow the field's name
/// ("must be at least 1."), so each front end can put its own name for the field first: the CLI its
/// `--flag`, the GUI its form field's label.
class Error : public std::runtime_error {
public:
    /// An error about no particular field: detail() is the whole sentence.
    Error(ErrorKind kind, const std::string& message)
        : std::runtime_error(message)
        , m_kind(kind)
        , m_detail(message)
    {
    }
    /// An error about `field`: `message` is the full sentence (naming the field in plain words), `detail`
    /// the part that follows a front end's name for it.
    Error(ErrorKind kind, const std::string& message, std::string field, std::string detail)
        : std::runtime_error(message)
        , m_kind(kind)
        , m_field(std::move(field))
        , m_detail(std::move(detail))
    {
    }
    ErrorKind kind() const { return m_kind; }
    /// The stable id of the option or field the error is about; empty when it is about none.
    const std::string& field() const { return m_field; }
    /// What is wrong, to follow a front end's name for field() (the whole sentence when field() is empty).
    const std::string& detail() const { return m_detail; }

private:
    ErrorKind m_kind;
    std::string m_field;
    std::string m_detail;
};

} // namespace maas::engine
