using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>What an operator may do: read the site (the console, the read API), or act on it too.</summary>
public enum OperatorRole
{
    Viewer,
    Operator,
}

/// <summary>An operator as the credentials name them: the name the audit shows, and the role.</summary>
public sealed record NamedOperator(string Name, OperatorRole Role);

/// <summary>
/// Who may sign in: the operators of CHARGELINK_OPERATORS (a JSON file of name, role and the lower-case hex SHA-256 of
/// each one's token; the file never holds a token), and the development operator of CHARGELINK_OPERATOR_TOKEN, named
/// "operator" with the operator role. A token is compared with every entry in constant time.
/// </summary>
public sealed class OperatorDirectory
{
    /// <summary>The name the audit gives whoever signs in with CHARGELINK_OPERATOR_TOKEN.</summary>
    public const string TokenOperatorName = "operator";

    private readonly (NamedOperator Operator, byte[] TokenHash)[] _entries;

    public OperatorDirectory(ChargeLinkSettings settings)
    {
        var entries = new List<(NamedOperator, byte[])>
        {
            (new NamedOperator(TokenOperatorName, OperatorRole.Operator), HashOf(settings.OperatorToken)),
        };
        if (settings.OperatorsFile is { } path)
            entries.AddRange(Read(path));
        var names = entries.GroupBy(e => e.Item1.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        if (names.Count > 0)
            throw new InvalidOperationException(
                $"{settings.OperatorsFile}: the operator name \"{names[0].Key}\" is given twice "
                    + $"(\"{TokenOperatorName}\" is CHARGELINK_OPERATOR_TOKEN's)"
            );
        _entries = [.. entries];
    }

    /// <summary>The operator whose token <paramref name="token"/> is, if any.</summary>
    public NamedOperator? Find(string? token)
    {
        if (token is null)
            return null;
        var hash = HashOf(token);
        NamedOperator? found = null;
        // Every entry is compared, found or not: the time taken says nothing of which.
        foreach (var (named, tokenHash) in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, tokenHash))
                found = named;
        }
        return found;
    }

    /// <summary>The operator named <paramref name="name"/> and the hash of that operator's current token.</summary>
    public (NamedOperator Operator, byte[] TokenHash)? Named(string name) =>
        _entries.FirstOrDefault(e => e.Operator.Name == name) is { Operator: not null } entry ? entry : null;

    public static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static IEnumerable<(NamedOperator, byte[])> Read(string path)
    {
        OperatorsFileJson? file;
        try
        {
            file = JsonSerializer.Deserialize<OperatorsFileJson>(File.ReadAllText(path), JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{path}: the operators file cannot be read: {e.Message}", e);
        }
        foreach (var (entry, index) in (file?.Operators ?? []).Select((e, i) => (e, i)))
        {
            var where = $"{path}: operators[{index}]";
            if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Length > 64)
                throw new InvalidOperationException($"{where}: a name of 1-64 characters is required");
            if (!Enum.TryParse<OperatorRole>(entry.Role, ignoreCase: true, out var role))
                throw new InvalidOperationException($"{where} ({entry.Name}): role is \"viewer\" or \"operator\"");
            if (entry.TokenSha256 is not { Length: 64 } hex || !hex.All(Uri.IsHexDigit))
                throw new InvalidOperationException(
                    $"{where} ({entry.Name}): tokenSha256 is the 64 hex digits of the token's SHA-256"
                );
            yield return (new NamedOperator(entry.Name, role), Convert.FromHexString(hex));
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record OperatorsFileJson(List<OperatorEntryJson>? Operators);

    private sealed record OperatorEntryJson(string? Name, string? Role, string? TokenSha256);
}
