#pragma once

#include "core/models/taskdata.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <map>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace swb {

// The hyperparameters of one task and model kind, built from the core's defaults (one line edit
// per key; the hidden layers of an MLP as a comma list like "64,32"), then the seed and the model
// name. Every value is checked as it is typed by the core's own validator; an invalid one gets its
// message right below it and the form is invalid until it is fixed.
class TrainParamsForm : public QWidget
{
    Q_OBJECT
public:
    explicit TrainParamsForm(QWidget* parent = nullptr);
    ~TrainParamsForm() override;

    // Rebuilds the fields for the model with its default values.
    void setModel(Task task, const QString& kind);
    Task task() const { return m_task; }
    QString kind() const { return m_kind; }

    // The hyperparameters as typed (meaningful while isValid()).
    QJsonObject params() const;
    // Sets the fields of the keys given (the others keep their values).
    void setParams(const QJsonObject& params);
    std::uint64_t seed() const;
    // Empty: the default name (shown as the placeholder).
    QString modelName() const;
    void setModelName(const QString& name);
    void setDefaultModelName(const QString& name);
    // Asked for a typed name: the reason it cannot be used, or an empty string.
    void setNameCheck(std::function<QString(const QString&)> check);

    bool isValid() const { return m_valid; }
    // The message shown below a field ("seed", "name" or a parameter key), empty when it is fine.
    QString fieldError(const QString& key) const;
    QLineEdit* field(const QString& key) const;
    // The fields in tab order.
    QList<QWidget*> tabChain() const;

public slots:
    // Checks every field again (e.g. after models were added to the workspace).
    void validate();

signals:
    void validityChanged(bool valid);

private:
    struct Field
    {
        QLineEdit* edit = nullptr;
        QLabel* error = nullptr;
        QJsonValue defaultValue;
    };
    void addField(const QString& key, const QString& label, const QString& text,
                  const QJsonValue& defaultValue);
    void clearFields();
    void setFieldError(Field& field, const QString& message);
    QJsonValue valueOf(const QString& key) const;

    Task m_task = Task::Intent;
    QString m_kind;
    QFormLayout* m_layout = nullptr;
    QLabel* m_noParams = nullptr;
    std::map<QString, Field> m_fields; // parameters, "seed" and "name"
    QList<QString> m_order;            // keys in the order shown
    std::function<QString(const QString&)> m_nameCheck;
    bool m_valid = true;
};

} // namespace swb
