#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace maas::widgets {

/// An inline banner where an action was taken: one line, an expandable detail, a close button.
/// Never modal; the window goes on working.
class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Info, Error };
    explicit MessageBanner(QWidget* parent = nullptr);

    void show(Kind kind, const QString& text, const QString& detail = {});
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel* m_text;
    QLabel* m_detail;
    QToolButton* m_more;
    Kind m_kind = Kind::Info;
};

} // namespace maas::widgets
