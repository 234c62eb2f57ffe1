using Lottery.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Lottery.Ledger;

/// <summary>
/// The ledger in PostgreSQL. A shipment is one transaction: its range row (primary key node + start offset, so a range
/// shipped twice is stored once) and its wins (primary key the prize id).
/// </summary>
public sealed class PostgresLedger : ILedger, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS lottery_shipments (
          node text NOT NULL, from_offset bigint NOT NULL, to_offset bigint NOT NULL,
          draws bigint NOT NULL, wins bigint NOT NULL, limit_reached bigint NOT NULL,
          shipped_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (node, from_offset));
        CREATE TABLE IF NOT EXISTS lottery_wins (
          activity int NOT NULL, prize int NOT NULL, sequence bigint NOT NULL,
          user_id bigint NOT NULL, node text NOT NULL, request_id bigint NOT NULL, source text NOT NULL,
          PRIMARY KEY (activity, prize, sequence));
        """;

    private readonly NpgsqlDataSource _source;

    private PostgresLedger(NpgsqlDataSource source) => _source = source;

    public static async Task<PostgresLedger> OpenAsync(string connectionString)
    {
        NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
        await using (NpgsqlCommand command = source.CreateCommand(Schema))
        {
            try
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Two processes created the tables at once: they exist.
            }
        }

        return new PostgresLedger(source);
    }

    public async Task<long> ShippedOffsetAsync(string node)
    {
        await using NpgsqlCommand command = _source.CreateCommand("SELECT coalesce(max(to_offset), 0) FROM lottery_shipments WHERE node = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = node });
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    public async Task ShipAsync(Shipment shipment)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync().ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (NpgsqlCommand range = new("""
            INSERT INTO lottery_shipments (node, from_offset, to_offset, draws, wins, limit_reached)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            range.Parameters.Add(new NpgsqlParameter { Value = shipment.Node });
            range.Parameters.Add(new NpgsqlParameter { Value = shipment.From });
            range.Parameters.Add(new NpgsqlParameter { Value = shipment.To });
            range.Parameters.Add(new NpgsqlParameter { Value = shipment.Draws });
            range.Parameters.Add(new NpgsqlParameter { Value = shipment.Wins });
            range.Parameters.Add(new NpgsqlParameter { Value = shipment.LimitReached });
            if (await range.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                return; // shipped before
            }
        }

        await InsertWinsAsync(connection, transaction, shipment.WinRows).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    public async Task AddWinsAsync(IReadOnlyList<LedgerWin> wins)
    {
        await using NpgsqlConnection connection = await _source.OpenConnectionAsync().ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await InsertWinsAsync(connection, transaction, wins).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    public async Task<LedgerSnapshot> ReadAsync(int activity)
    {
        List<LedgerWin> wins = [];
        await using (NpgsqlCommand command = _source.CreateCommand("SELECT prize, sequence, user_id, node, request_id, source FROM lottery_wins WHERE activity = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = activity });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                wins.Add(new LedgerWin(new PrizeId(activity, reader.GetInt32(0), reader.GetInt64(1)), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5)));
            }
        }

        Dictionary<string, NodeShipments> nodes = [];
        await using (NpgsqlCommand command = _source.CreateCommand(
            "SELECT node, max(to_offset), sum(draws)::bigint, sum(wins)::bigint, sum(limit_reached)::bigint, count(*)::int FROM lottery_shipments GROUP BY node"))
        {
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                nodes[reader.GetString(0)] = new NodeShipments(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(5));
            }
        }

        return new LedgerSnapshot(wins, nodes);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static async Task InsertWinsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LedgerWin> wins)
    {
        if (wins.Count == 0)
        {
            return;
        }

        await using NpgsqlCommand command = new("""
            INSERT INTO lottery_wins (activity, prize, sequence, user_id, node, request_id, source)
            SELECT * FROM unnest($1::int[], $2::int[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::text[])
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.Id.Activity).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.Id.Prize).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.Id.Sequence).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.User).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.Node).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.RequestId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = wins.Select(w => w.Source).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
