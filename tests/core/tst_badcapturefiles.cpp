#include "testcapture.h"

#include "store/captureschema.h"
#include "store/storewriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace eventscope;
using namespace eventscope::test;

namespace {

QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestBadCaptureFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_validCapture;

    QByteArray makeValidCapture()
    {
        const std::string path = m_dir.filePath(QStringLiteral("valid.capture")).toStdString();
        {
            auto committer = openCommitter(path);
            std::vector<RecordBatch> batches(1);
            for (int i = 0; i < 2000; ++i)
                batches[0].events.push_back(makeEvent(i, 1'764'000'000'000'000LL + i));
            committer->commit(batches);
            committer->checkpoint();
        }
        QFile file(QString::fromStdString(path));
        file.open(QIODevice::ReadOnly);
        return file.readAll();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_validCapture = makeValidCapture();
        QVERIFY(m_validCapture.size() > 8192);
    }

    void rejectsWithAMessageAndTouchesNothing_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expectedProblem");

        QTest::newRow("zero-length") << QByteArray() << "file is empty (0 bytes)";
        std::mt19937 rng(7);
        QByteArray random(64 * 1024, Qt::Uninitialized);
        for (auto &c : random)
            c = static_cast<char>(rng());
        QTest::newRow("random bytes")
            << random << "not an EventScope capture (not an SQLite database)";
        QTest::newRow("text file")
            << QByteArray("{\"id\":\"evt-1\"}\n") << "not an EventScope capture";
        QTest::newRow("truncated to half")
            << m_validCapture.left(m_validCapture.size() / 2 / 4096 * 4096) << "file is truncated";
        QTest::newRow("truncated mid-page")
            << m_validCapture.left(m_validCapture.size() - 1000) << "truncated";
        QTest::newRow("truncated inside the header") << m_validCapture.left(60) << "truncated";

        QByteArray newer = m_validCapture;
        newer[60] = 0;
        newer[61] = 0;
        newer[62] = 0;
        newer[63] = 9; // user_version = 9
        QTest::newRow("newer schema")
            << newer
            << QStringLiteral("schema version 9 is newer than this EventScope reads (%1)")
                   .arg(capture::kSchemaVersion);

        QByteArray foreign = m_validCapture;
        foreign[68] = 0;
        foreign[69] = 0;
        foreign[70] = 0;
        foreign[71] = 0; // application_id
        QTest::newRow("other SQLite database")
            << foreign << "an SQLite database but not an EventScope capture";

        QByteArray damaged = m_validCapture;
        for (int i = 4096 * 2; i < damaged.size(); i += 97)
            damaged[i] = static_cast<char>(~damaged[i]);
        QTest::newRow("corrupt pages") << damaged << "damaged";
    }
    void rejectsWithAMessageAndTouchesNothing()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expectedProblem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.capture"));
        writeFile(path, content);
        const QByteArray digest = fileDigest(path);
        const QDateTime modified = QFileInfo(path).lastModified();

        auto reader = CaptureReader::open(path.toStdString());
        QString readerError;
        if (reader) {
            // Damage past the header shows up when the data is read, still as a message.
            auto events = (*reader)->events({});
            QVERIFY2(!events.ok(), "reading a damaged capture must fail");
            readerError = QString::fromStdString(events.error());
        } else {
            readerError = QString::fromStdString(reader.error());
        }
        QVERIFY2(readerError.contains(expectedProblem), qPrintable(readerError));
        QVERIFY2(readerError.startsWith(path), qPrintable(readerError));
        QVERIFY2(!readerError.contains(QLatin1Char('\n')), "one line");

        if (expectedProblem != QLatin1String("damaged")) {
            auto writer = StoreWriter::open(path.toStdString());
            QVERIFY(!writer.ok());
            QVERIFY2(QString::fromStdString(writer.error()).contains(expectedProblem),
                     writer.error().c_str());
        }
        reader = Result<std::unique_ptr<CaptureReader>>::failure("closed");

        QCOMPARE(fileDigest(path), digest);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
        const QStringList beside = QDir(dir.path()).entryList(QDir::Files);
        QCOMPARE(beside, QStringList{QStringLiteral("bad.capture")});
    }

    void missingFileAndFolderAreNamed()
    {
        const std::string missing = m_dir.filePath(QStringLiteral("nope.capture")).toStdString();
        auto reader = CaptureReader::open(missing);
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error(), missing + ": no such file");
        QVERIFY(!QFileInfo::exists(QString::fromStdString(missing)));

        auto directory = CaptureReader::open(m_dir.path().toStdString());
        QVERIFY(!directory.ok());
        QVERIFY(directory.error().find("is a directory") != std::string::npos);

        const std::string noFolder
            = m_dir.filePath(QStringLiteral("no/such/folder/x.capture")).toStdString();
        auto writer = StoreWriter::open(noFolder);
        QVERIFY(!writer.ok());
        QVERIFY2(writer.error().find("does not exist") != std::string::npos,
                 writer.error().c_str());
    }

    void validCaptureStillOpensAndLeavesNoSideFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ok.capture"));
        writeFile(path, m_validCapture);
        {
            auto reader = openReader(path.toStdString());
            QCOMPARE(valueOrFail(reader->events({})).size(), std::size_t(2000));
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("ok.capture")});
    }
};

QTEST_GUILESS_MAIN(TestBadCaptureFiles)
#include "tst_badcapturefiles.moc"
