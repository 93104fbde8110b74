#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace maas::app {

/// One input of a model as the card's form shows it.
struct CardFormInput {
    QString name;
    QString datatype; ///< as the open inference protocol names it: FP32, INT64, BYTES, ...
    QString shape; ///< "-1, 3, 224, 224"
};

/// The fields of a model card a person edits, as text and numbers for a form. The card's other parts
/// (outputs, lineage, metrics, fields this version does not know) are kept from the card it was read from.
struct CardForm {
    QString name, task, description;
    QStringList labels;
    QList<CardFormInput> inputs;
    QString scale, mean, std; ///< numbers separated by commas; empty: none (scale: 1)
    int imageWidth = 0, imageHeight = 0; ///< 0: any size
    QString color; ///< "", "gray" or "rgb"
};

class CardForms {
    Q_DECLARE_TR_FUNCTIONS(CardForms)
public:
    /// The form's fields from a card (JSON as the library stores it); nothing when the JSON is not a card.
    static std::optional<CardForm> read(const QString& cardJson);
    /// The card with the form's values, checked by the engine like `maas card --set`: throws
    /// maas::engine::Error with a sentence naming the wrong field.
    static QString write(const CardForm& form, const QString& originalCardJson);
};

} // namespace maas::app
