using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Tests.Graph.Binding;

public sealed class GraphParametersAccessorTests
{
    private static Task<GraphParameters> JsonAsync(string json) => TestRequests.BindAsync(TestRequests.Json(json));

    private static Task<GraphParameters> FormAsync(string form) => TestRequests.BindAsync(TestRequests.Form(form));

    [Theory]
    [InlineData("""{"v":"abc"}""", "abc")]
    [InlineData("""{"v":123}""", "123")]
    [InlineData("""{"v":1.50}""", "1.50")]
    [InlineData("""{"v":true}""", "true")]
    [InlineData("""{"v":""}""", "")]
    public async Task TryGetString_Scalars_ReturnText(string json, string expected)
    {
        var p = await JsonAsync(json);

        Assert.True(p.TryGetString("v", out var value, out var error));
        Assert.Equal(expected, value);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("""{"v":{"a":1}}""")]
    [InlineData("""{"v":[1]}""")]
    public async Task TryGetString_ObjectOrArray_ReturnsInvalidParameter(string json)
    {
        var p = await JsonAsync(json);

        Assert.False(p.TryGetString("v", out _, out var error));
        Assert.Equal(DomainError.Invalid("v", "Param v must be a string"), error);
    }

    [Fact]
    public async Task TryGet_Absent_ReturnsFalseWithoutError()
    {
        var p = await JsonAsync("{}");

        Assert.False(p.TryGetString("v", out _, out var e1));
        Assert.False(p.TryGetObject("v", out var obj, out var e2));
        Assert.False(p.TryGetStringList("v", out var list, out var e3));
        Assert.False(p.TryGetInt("v", out _, out var e4));
        Assert.False(p.TryGetBool("v", out _, out var e5));
        Assert.All(new[] { e1, e2, e3, e4, e5 }, Assert.Null);
        Assert.Equal(JsonValueKind.Undefined, obj.ValueKind);
        Assert.Empty(list);
        Assert.Null(p.GetRawJson("v"));
        Assert.Null(p.GetFile("v"));
    }

    [Theory]
    [InlineData("""{"recipient":{"id":123}}""")]
    [InlineData("""{"recipient":"{\"id\":123}"}""")]
    [InlineData("""{"recipient":" {'id':123,} "}""")]
    public async Task TryGetObject_ObjectOrEncodedObject_ReturnsObject(string json)
    {
        var p = await JsonAsync(json);

        Assert.True(p.TryGetObject("recipient", out var recipient, out _));
        Assert.Equal(123, recipient.GetProperty("id").GetInt32());
        Assert.True(p.TryGetObject("recipient", out var recipientAgain, out _));
        Assert.True(p.TryGetString("id", out _, out _) is false);
        Assert.True(JsonElement.DeepEquals(recipient, recipientAgain));
    }

    [Theory]
    [InlineData("recipient=123")]
    [InlineData("recipient=")]
    [InlineData("recipient=[1,2]")]
    [InlineData("recipient={'id':")]
    [InlineData("recipient=hello")]
    public async Task TryGetObject_NotAnObject_ReturnsInvalidParameter(string form)
    {
        var p = await FormAsync(form);

        Assert.False(p.TryGetObject("recipient", out _, out var error));
        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("recipient", error?.Parameter);
        Assert.Equal("Param recipient must be a JSON object", error?.Detail);
    }

    [Theory]
    [InlineData("fields=messages,message_echoes")]
    [InlineData("fields= messages , message_echoes ,")]
    [InlineData("fields=[\"messages\",\"message_echoes\"]")]
    [InlineData("fields=['messages','message_echoes']")]
    [InlineData("fields[]=messages&fields[]=message_echoes")]
    [InlineData("fields[0]=messages&fields[1]=message_echoes")]
    public async Task TryGetStringList_FormEncodings_ReturnItems(string form)
    {
        var p = await FormAsync(form);

        Assert.True(p.TryGetStringList("fields", out var values, out _));
        Assert.Equal(["messages", "message_echoes"], values);
    }

    [Theory]
    [InlineData("""{"fields":["messages","message_echoes"]}""", new[] { "messages", "message_echoes" })]
    [InlineData("""{"fields":"messages"}""", new[] { "messages" })]
    [InlineData("""{"fields":[1,true]}""", new[] { "1", "true" })]
    [InlineData("""{"fields":[]}""", new string[0])]
    [InlineData("""{"fields":""}""", new string[0])]
    public async Task TryGetStringList_JsonEncodings_ReturnItems(string json, string[] expected)
    {
        var p = await JsonAsync(json);

        Assert.True(p.TryGetStringList("fields", out var values, out _));
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData("""{"fields":{"a":"b"}}""")]
    [InlineData("""{"fields":[["a"]]}""")]
    [InlineData("""{"fields":"[broken"}""")]
    public async Task TryGetStringList_Unusable_ReturnsInvalidParameter(string json)
    {
        var p = await JsonAsync(json);

        Assert.False(p.TryGetStringList("fields", out var values, out var error));
        Assert.Empty(values);
        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
    }

    [Theory]
    [InlineData("""{"n":25}""", true, 25)]
    [InlineData("""{"n":"25"}""", true, 25)]
    [InlineData("""{"n":" -3 "}""", true, -3)]
    [InlineData("""{"n":2.5}""", false, 0)]
    [InlineData("""{"n":"abc"}""", false, 0)]
    [InlineData("""{"n":99999999999}""", false, 0)]
    [InlineData("""{"n":true}""", false, 0)]
    public async Task TryGetInt_Table(string json, bool ok, int expected)
    {
        var p = await JsonAsync(json);

        Assert.Equal(ok, p.TryGetInt("n", out var value, out var error));
        Assert.Equal(expected, value);
        Assert.Equal(ok ? null : DomainErrorKind.InvalidParameter, error?.Kind);
    }

    [Theory]
    [InlineData("""{"b":true}""", true, true)]
    [InlineData("""{"b":false}""", true, false)]
    [InlineData("""{"b":"true"}""", true, true)]
    [InlineData("""{"b":"False"}""", true, false)]
    [InlineData("""{"b":"1"}""", true, true)]
    [InlineData("""{"b":0}""", true, false)]
    [InlineData("""{"b":"yes"}""", false, false)]
    [InlineData("""{"b":2}""", false, false)]
    [InlineData("""{"b":{}}""", false, false)]
    public async Task TryGetBool_Table(string json, bool ok, bool expected)
    {
        var p = await JsonAsync(json);

        Assert.Equal(ok, p.TryGetBool("b", out var value, out var error));
        Assert.Equal(expected, value);
        Assert.Equal(ok ? null : DomainErrorKind.InvalidParameter, error?.Kind);
    }

    [Theory]
    [InlineData("message={'text':'it\\'s \"ok\"',}", """{"text":"it's \"ok\""}""")]
    [InlineData("message=hello", "\"hello\"")]
    [InlineData("message=123", "\"123\"")]
    [InlineData("message[text]=héllo", """{"text":"héllo"}""")]
    public async Task GetRawJson_FormValues_ReturnStandardJson(string form, string expected)
    {
        var p = await FormAsync(form);

        Assert.Equal(expected, p.GetRawJson("message"));
    }

    [Fact]
    public async Task GetRawJson_JsonMember_ReturnsCompactJson()
    {
        var p = await JsonAsync("""{"message": { "text" : "hi", "quick_replies": [ 1, 2 ] }, "n": 1.0}""");

        Assert.Equal("""{"text":"hi","quick_replies":[1,2]}""", p.GetRawJson("message"));
        Assert.Equal("1.0", p.GetRawJson("n"));
    }
}
