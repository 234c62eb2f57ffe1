using Lottery.Contracts;
using Lottery.Journal;

namespace Lottery.Tests.Components;

public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lottery-journal-").FullName;

    [Fact]
    public async Task Concurrent_appends_share_fsyncs_and_replay_in_full()
    {
        string path = Path.Combine(_directory, "node.journal");
        DrawJournal journal = DrawJournal.Open(path);
        await using (journal)
        {
            await Task.WhenAll(Enumerable.Range(0, 64).Select(writer => Task.Run(async () =>
            {
                for (int batch = 0; batch < 20; batch++)
                {
                    JournalRecord[] records = [.. Enumerable.Range(0, 50).Select(i => Record((writer * 1_000_000L) + (batch * 100) + i))];
                    await journal.AppendAsync(records);
                }
            })));
            Assert.Equal(64 * 20 * 50, journal.Records);
            Assert.True(journal.Commits < 64 * 20, $"{journal.Commits} fsyncs for {64 * 20} batches: group commit should share them");
        }

        HashSet<long> replayed = [];
        DrawJournal reopened = DrawJournal.Open(path, records =>
        {
            foreach (JournalRecord record in records)
            {
                Assert.True(replayed.Add(record.RequestId));
            }
        });
        await reopened.DisposeAsync();
        Assert.Equal(64 * 20 * 50, replayed.Count);
    }

    [Fact]
    public async Task Replay_cuts_a_torn_tail_and_appends_after_the_last_whole_block()
    {
        string path = Path.Combine(_directory, "torn.journal");
        DrawJournal journal = DrawJournal.Open(path);
        await journal.AppendAsync([Record(1), Record(2)]);
        await journal.AppendAsync([Record(3)]);
        long whole = journal.CommittedLength;
        await journal.DisposeAsync();

        // A block whose write was cut short by a crash: a header promising more than follows.
        byte[] torn = File.ReadAllBytes(path)[..(DrawJournal.HeaderSize + JournalRecord.Size)];
        await using (FileStream file = new(path, FileMode.Append))
        {
            file.Write(torn);
        }

        List<long> replayed = [];
        journal = DrawJournal.Open(path, records => replayed.AddRange(records.ToArray().Select(r => r.RequestId)));
        Assert.Equal([1L, 2, 3], replayed);
        Assert.Equal(whole, new FileInfo(path).Length);
        await journal.AppendAsync([Record(4)]);
        await journal.DisposeAsync();

        replayed.Clear();
        await DrawJournal.Open(path, records => replayed.AddRange(records.ToArray().Select(r => r.RequestId))).DisposeAsync();
        Assert.Equal([1L, 2, 3, 4], replayed);
    }

    [Fact]
    public async Task A_flipped_byte_ends_the_replay_at_the_block_before_it()
    {
        string path = Path.Combine(_directory, "corrupt.journal");
        DrawJournal journal = DrawJournal.Open(path);
        await journal.AppendAsync([Record(1)]);
        long first = journal.CommittedLength;
        await journal.AppendAsync([Record(2)]);
        await journal.DisposeAsync();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[first + DrawJournal.HeaderSize + 3] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        List<long> replayed = [];
        await DrawJournal.Open(path, records => replayed.AddRange(records.ToArray().Select(r => r.RequestId))).DisposeAsync();
        Assert.Equal([1L], replayed);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JournalRecord Record(long requestId) => new(requestId, 10_000 + requestId, 0, 1, DrawOutcome.Lose, 0, 3);
}
