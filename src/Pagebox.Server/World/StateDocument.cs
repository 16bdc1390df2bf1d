using System.Text.Json;
using Pagebox.Domain.Store;

namespace Pagebox.Server.World;

/// <summary>
/// A state document (docs/control-api.md, "State") read as it streams, never whole: the header first (format, app,
/// schema), then the tables, one row at a time, each time the store enumerates them (the writer replays a command that
/// threw, a PostgreSQL command is retried after a deadlock: each enumeration is a fresh pass over the stream). Memory
/// holds one row and a read buffer, whatever the document's size. The stream must be seekable: a file for
/// <c>--import</c>, the request body spooled to a temporary file for <c>POST /_pagebox/import</c>.
/// </summary>
internal sealed class StateDocument
{
    /// <summary>The document format's version (the <c>pagebox_state</c> field).</summary>
    public const int FormatVersion = 1;

    private readonly Stream _stream;
    private bool _reading;

    private StateDocument(Stream stream) => _stream = stream;

    /// <summary>
    /// Reads the header (and checks that the whole stream is JSON); the snapshot's tables and rows are read from the
    /// stream when enumerated. Throws <see cref="StateImportException"/> naming what is wrong, or
    /// <see cref="JsonException"/>.
    /// </summary>
    public static StateSnapshot Open(Stream seekable)
    {
        var document = new StateDocument(seekable);
        var (app, schema) = document.ReadHeader();
        return new StateSnapshot(app, schema, new Tables(document));
    }

    private (string? App, int Schema) ReadHeader()
    {
        _stream.Position = 0;
        var t = new JsonTokens(_stream);
        if (!t.Read() || t.Type != JsonTokenType.StartObject)
            throw new StateImportException("the document must be a JSON object");
        int? version = null;
        string? app = null;
        var schema = 0;
        while (t.Read() && t.Type == JsonTokenType.PropertyName)
        {
            var name = t.String;
            t.Read();
            switch (name)
            {
                case "pagebox_state" when t.Type == JsonTokenType.Number && t.IsInteger:
                    version = (int)Math.Clamp(t.Long, int.MinValue, int.MaxValue);
                    break;
                case "app" when t.Type == JsonTokenType.Null:
                    app = null;
                    break;
                case "app":
                    if (t.Type != JsonTokenType.String || t.String is not { Length: > 0 } a)
                        throw new StateImportException("app must be an app id or null");
                    app = a;
                    break;
                case "schema_version" when t.Type == JsonTokenType.Number && t.IsInteger:
                    schema = (int)Math.Clamp(t.Long, 0, int.MaxValue);
                    break;
                default:
                    t.Skip();
                    break;
            }
        }
        if (t.Read())
            throw new JsonException("more than one JSON value in the document");
        if (version is null)
            throw new StateImportException("pagebox_state is required: this is not a Pagebox state document");
        if (version != FormatVersion)
            throw new StateImportException(
                $"pagebox_state {version} is not supported (this Pagebox reads {FormatVersion})"
            );
        return (app, schema);
    }

    private IEnumerable<StateTable> ReadTables()
    {
        if (_reading)
            throw new InvalidOperationException("A state document is read by one pass at a time");
        _reading = true;
        try
        {
            _stream.Position = 0;
            var t = new JsonTokens(_stream);
            t.Read(); // the header pass checked that it is an object
            var sawTables = false;
            while (t.Read() && t.Type == JsonTokenType.PropertyName)
            {
                if (t.String != "tables")
                {
                    t.Read();
                    t.Skip();
                    continue;
                }
                sawTables = true;
                if (!t.Read() || t.Type != JsonTokenType.StartObject)
                    throw new StateImportException("tables must be an object");
                while (t.Read() && t.Type == JsonTokenType.PropertyName)
                {
                    var name = t.String;
                    var where = $"tables.{name}";
                    if (!t.Read() || t.Type != JsonTokenType.StartObject)
                        throw new StateImportException($"{where} must be an object with columns and rows");
                    List<string>? columns = null;
                    var sawRows = false;
                    while (t.Read() && t.Type == JsonTokenType.PropertyName)
                    {
                        var property = t.String;
                        t.Read();
                        if (property == "columns")
                        {
                            columns = ReadColumns(t, where);
                        }
                        else if (property == "rows")
                        {
                            if (columns is null)
                                throw new StateImportException($"{where}.columns must come before its rows");
                            if (t.Type != JsonTokenType.StartArray)
                                throw new StateImportException($"{where}.rows must be an array");
                            sawRows = true;
                            var rows = new Rows(t, where, columns.Count);
                            yield return new StateTable(name, columns, rows);
                            rows.Drain();
                        }
                        else
                        {
                            t.Skip();
                        }
                    }
                    if (columns is null)
                        throw new StateImportException($"{where}.columns must be an array of column names");
                    if (!sawRows)
                        throw new StateImportException($"{where}.rows must be an array");
                }
            }
            if (!sawTables)
                throw new StateImportException("tables must be an object");
        }
        finally
        {
            _reading = false;
        }
    }

    private static List<string> ReadColumns(JsonTokens t, string where)
    {
        if (t.Type != JsonTokenType.StartArray)
            throw new StateImportException($"{where}.columns must be an array of column names");
        var columns = new List<string>();
        while (t.Read() && t.Type != JsonTokenType.EndArray)
        {
            if (t.Type != JsonTokenType.String)
                throw new StateImportException($"{where}.columns must be an array of column names");
            columns.Add(t.String!);
        }
        return columns;
    }

    /// <summary>The snapshot's tables: a fresh pass over the document each time they are enumerated.</summary>
    private sealed class Tables(StateDocument document) : IEnumerable<StateTable>
    {
        public IEnumerator<StateTable> GetEnumerator() => document.ReadTables().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>One table's rows, read once, in order, while its pass stands on them.</summary>
    private sealed class Rows(JsonTokens t, string where, int width) : IEnumerable<object?[]>
    {
        private bool _started;
        private bool _done;

        public IEnumerator<object?[]> GetEnumerator()
        {
            if (_started)
                throw new InvalidOperationException("A state document's rows are read once, in order");
            _started = true;
            return Read().GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Reads what the consumer left (a table it did not enumerate), so the pass can go on.</summary>
        public void Drain()
        {
            if (_done)
                return;
            if (_started)
                throw new InvalidOperationException("A state document's rows were left half read");
            foreach (var _ in this) { }
        }

        private IEnumerable<object?[]> Read()
        {
            var n = 0;
            while (t.Read() && t.Type != JsonTokenType.EndArray)
            {
                if (t.Type != JsonTokenType.StartArray)
                    throw new StateImportException($"{where}.rows[{n}] must be an array of {width} values");
                var values = new object?[width];
                var i = 0;
                while (t.Read() && t.Type != JsonTokenType.EndArray)
                {
                    if (i == width)
                        throw new StateImportException($"{where}.rows[{n}] must be an array of {width} values");
                    values[i] = t.Type switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.String => t.String,
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        JsonTokenType.Number when t.IsInteger => t.Long,
                        JsonTokenType.Number => t.Double,
                        JsonTokenType.StartObject => Bytes(t) ?? throw NotAValue(n, i, "Object"),
                        JsonTokenType.StartArray => throw NotAValue(n, i, "Array"),
                        _ => throw NotAValue(n, i, t.Type.ToString()),
                    };
                    i++;
                }
                if (i != width)
                    throw new StateImportException($"{where}.rows[{n}] must be an array of {width} values");
                yield return values;
                n++;
            }
            _done = true;
        }

        private StateImportException NotAValue(int n, int i, string kind) =>
            new($"{where}.rows[{n}][{i}]: {kind} is not a value ({{\"base64\":…}} holds bytes)");

        /// <summary><c>{"base64": "…"}</c>: bytes; anything else in an object: null (not a value).</summary>
        private static byte[]? Bytes(JsonTokens t)
        {
            byte[]? bytes = null;
            var other = false;
            while (t.Read() && t.Type == JsonTokenType.PropertyName)
            {
                var name = t.String;
                t.Read();
                if (name == "base64" && t.Type == JsonTokenType.String)
                {
                    try
                    {
                        bytes = Convert.FromBase64String(t.String!);
                    }
                    catch (FormatException)
                    {
                        other = true;
                    }
                }
                else
                {
                    other = true;
                    t.Skip();
                }
            }
            return other ? null : bytes;
        }
    }
}

/// <summary>
/// JSON tokens pulled one at a time from a stream through a <see cref="Utf8JsonReader"/> over a buffer that grows
/// only as far as the longest token: the reader itself cannot live across an iterator's yields, its state can.
/// </summary>
internal sealed class JsonTokens(Stream stream)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 16 });

    public JsonTokenType Type { get; private set; }

    /// <summary>The current string or property name.</summary>
    public string? String { get; private set; }

    public bool IsInteger { get; private set; }

    public long Long { get; private set; }

    public double Double { get; private set; }

    public int Depth { get; private set; }

    /// <summary>The next token; false at the end of the document.</summary>
    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                Type = reader.TokenType;
                Depth = reader.CurrentDepth;
                String = Type is JsonTokenType.String or JsonTokenType.PropertyName ? reader.GetString() : null;
                if (Type == JsonTokenType.Number)
                {
                    IsInteger = reader.TryGetInt64(out var l);
                    Long = l;
                    Double = IsInteger ? l : reader.GetDouble();
                }
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return true;
            }
            if (_final)
                return false;
            Fill();
        }
    }

    /// <summary>Skips the value whose first token is current (the whole object or array).</summary>
    public void Skip()
    {
        if (Type is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            return;
        var depth = Depth;
        while (Read())
        {
            if (Type is JsonTokenType.EndObject or JsonTokenType.EndArray && Depth == depth)
                return;
        }
    }

    private void Fill()
    {
        var left = _end - _start;
        if (left == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2); // one token longer than the buffer
        else if (_start > 0)
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, left);
        _start = 0;
        _end = left;
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _final = true;
        _end += read;
    }
}
