using System.Text.Json;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Templates;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Environment templates in the SQLite file of a <see cref="SqliteJobStore"/>, so that the
/// template and its jobs share one owner-only file and one schema version.
/// </summary>
public sealed class SqliteEnvironmentTemplateStore : IEnvironmentTemplateStore
{
    private const string TemplateColumns =
        "name, description, text, secret_keys, source, source_path, created_at, updated_at";

    private readonly SqliteJobStore _jobStore;

    /// <summary>Uses the file, connection settings and schema of <paramref name="jobStore"/>.</summary>
    /// <param name="jobStore">An opened job store; opening it migrated the schema.</param>
    public SqliteEnvironmentTemplateStore(SqliteJobStore jobStore)
    {
        ArgumentNullException.ThrowIfNull(jobStore);

        _jobStore = jobStore;
    }

    /// <inheritdoc />
    public string Location => _jobStore.Location;

    /// <inheritdoc />
    public async Task<EnvironmentTemplate> CreateTemplateAsync(
        string name,
        EnvironmentTemplateContent content,
        string? description,
        IReadOnlyList<string> secretKeys,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(secretKeys);
        EnvironmentTemplate.ValidateName(name);

        // Building the template parses the text, so an invalid template fails before any write.
        var now = TruncateToMilliseconds(DateTimeOffset.UtcNow);
        var keys = EnvironmentTemplate.NormalizeSecretKeys(secretKeys);
        var template = EnvironmentTemplate.Create(name, EmptyToNull(description), content, keys, now, now);

        await using var connection = await _jobStore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = await ReadRowAsync(connection, transaction, name, cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null)
        {
            throw TemplateErrors.AlreadyExists(name, existing.Name);
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO environment_templates
                (name, description, text, secret_keys, source, source_path, created_at, updated_at)
            VALUES ($name, $description, $text, $secretKeys, $source, $sourcePath, $now, $now)
            """;
        insert.Parameters.AddWithValue("$name", template.Name);
        insert.Parameters.AddWithValue("$description", (object?)template.Description ?? DBNull.Value);
        insert.Parameters.AddWithValue("$text", content.Text);
        insert.Parameters.AddWithValue("$secretKeys", JsonSerializer.Serialize(keys));
        insert.Parameters.AddWithValue("$source", content.Source.ToString());
        insert.Parameters.AddWithValue("$sourcePath", (object?)content.SourcePath ?? DBNull.Value);
        insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return template;
    }

    /// <inheritdoc />
    public async Task<EnvironmentTemplate?> GetTemplateAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        await using var connection = await _jobStore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await ReadRowAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
        return row?.ToTemplate();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EnvironmentTemplate>> ListTemplatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _jobStore.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TemplateColumns} FROM environment_templates ORDER BY name";
        var rows = await ReadRowsAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Select(row => row.ToTemplate()).ToList();
    }

    /// <inheritdoc />
    public async Task<EnvironmentTemplate> UpdateTemplateAsync(
        string name,
        EnvironmentTemplateChanges changes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(changes);

        var keys = changes.SecretKeys is null ? null : EnvironmentTemplate.NormalizeSecretKeys(changes.SecretKeys);
        await using var connection = await _jobStore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The current row is read without parsing, so that a template whose stored text no
        // longer parses can still be repaired by giving new text.
        var current = await ReadRowAsync(connection, transaction, name, cancellationToken)
            .ConfigureAwait(false) ?? throw TemplateErrors.NotFound(name, Location);
        if (!changes.HasChanges)
        {
            return current.ToTemplate();
        }

        var content = changes.Content ?? current.Content;
        var description = changes.Description is null ? current.Description : EmptyToNull(changes.Description);
        var now = TruncateToMilliseconds(DateTimeOffset.UtcNow);
        var updated = EnvironmentTemplate.Create(
            current.Name, description, content, keys ?? current.SecretKeys, current.CreatedAt, now);

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE environment_templates
            SET description = $description, text = $text, secret_keys = $secretKeys,
                source = $source, source_path = $sourcePath, updated_at = $now
            WHERE name = $name
            """;
        update.Parameters.AddWithValue("$name", current.Name);
        update.Parameters.AddWithValue("$description", (object?)description ?? DBNull.Value);
        update.Parameters.AddWithValue("$text", content.Text);
        update.Parameters.AddWithValue("$secretKeys", JsonSerializer.Serialize(updated.SecretKeys));
        update.Parameters.AddWithValue("$source", content.Source.ToString());
        update.Parameters.AddWithValue("$sourcePath", (object?)content.SourcePath ?? DBNull.Value);
        update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> FindQueuedJobsUsingTemplateAsync(
        string name,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        await using var connection = await _jobStore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindQueuedJobsAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveTemplateAsync(string name, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        await using var connection = await _jobStore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var template = await ReadRowAsync(connection, transaction, name, cancellationToken)
            .ConfigureAwait(false) ?? throw TemplateErrors.NotFound(name, Location);
        if (!force)
        {
            var jobIds = await FindQueuedJobsAsync(connection, transaction, template.Name, cancellationToken)
                .ConfigureAwait(false);
            if (jobIds.Count > 0)
            {
                throw TemplateErrors.InUse(template.Name, jobIds);
            }
        }

        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM environment_templates WHERE name = $name";
        delete.Parameters.AddWithValue("$name", template.Name);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<long>> FindQueuedJobsAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string name,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // jobs.templates is a JSON array of the template names a job was created from.
        command.CommandText = """
            SELECT id FROM jobs
            WHERE status IN ('Pending', 'Retrying')
              AND EXISTS (SELECT 1 FROM json_each(jobs.templates) AS used
                          WHERE used.value = $name COLLATE NOCASE)
            ORDER BY id
            """;
        command.Parameters.AddWithValue("$name", name);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<StoredTemplate?> ReadRowAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string name,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {TemplateColumns} FROM environment_templates WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        var rows = await ReadRowsAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<IReadOnlyList<StoredTemplate>> ReadRowsAsync(
        SqliteCommand command,
        CancellationToken cancellationToken)
    {
        var rows = new List<StoredTemplate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredTemplate(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                EnvironmentTemplateContent.Restore(
                    reader.GetString(2),
                    Enum.Parse<EnvironmentTemplateSource>(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5)),
                JsonSerializer.Deserialize<string[]>(reader.GetString(3))!,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return rows;
    }

    private static string? EmptyToNull(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>A template row as stored, before its text is parsed.</summary>
    private sealed record StoredTemplate(
        string Name,
        string? Description,
        EnvironmentTemplateContent Content,
        IReadOnlyList<string> SecretKeys,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt)
    {
        public EnvironmentTemplate ToTemplate()
        {
            try
            {
                return EnvironmentTemplate.Create(Name, Description, Content, SecretKeys, CreatedAt, UpdatedAt);
            }
            catch (DotEnvParseException ex)
            {
                // The text was valid when stored, so only a change of the parser's rules gets here.
                throw new ContainerManagerException(
                    "InvalidStoredTemplate",
                    ErrorKind.InvalidData,
                    $"The stored environment template '{Name}' no longer parses with this version " +
                    $"of the module. {ex.Message}\nReplace its text with Set-EnvironmentTemplate " +
                    $"-Name {Name} -Path (or -Text), or remove it with Remove-EnvironmentTemplate.",
                    Name,
                    ex);
            }
        }
    }
}
