using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Protocol;

namespace RfpioGateway.Scim.Tests.Protocol;

public sealed class CursorCodecTests
{
    private static readonly CursorCodec Codec = new("a key only these tests use"u8.ToArray());
    private static readonly DateTimeOffset Issued = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly CursorPosition Position = new(64, 17, "0123456789abcdef0123456789abcdef", Issued);

    [Fact]
    public void Read_IssuedCursorSameScope_GivesThePositionBack()
    {
        var cursor = Codec.Issue(Position, "tenant\nUser\n");
        var read = Codec.Read(cursor, "tenant\nUser\n", Issued.AddMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(Position, read.Value);
        Assert.DoesNotContain('+', cursor);
        Assert.DoesNotContain('/', cursor);
    }

    [Fact]
    public void Read_OtherScope_InvalidCursor()
    {
        var cursor = Codec.Issue(Position, "tenant\nUser\n");
        Assert.Equal(ScimErrorType.InvalidCursor, Codec.Read(cursor, "tenant\nUser\nuserName pr", Issued, TimeSpan.FromHours(1)).Error!.Type);
        Assert.Equal(ScimErrorType.InvalidCursor, new CursorCodec("another key"u8.ToArray()).Read(cursor, "tenant\nUser\n", Issued, TimeSpan.FromHours(1)).Error!.Type);
    }

    [Fact]
    public void Read_OlderThanTimeout_ExpiredCursor()
    {
        // RFC 9865 §2.3: expiredCursor once cursorTimeout has passed.
        var cursor = Codec.Issue(Position, "s");
        var read = Codec.Read(cursor, "s", Issued.AddSeconds(3601), TimeSpan.FromHours(1));
        Assert.Equal(ScimErrorType.ExpiredCursor, read.Error!.Type);
        Assert.Equal("expiredCursor", read.Error.ScimType);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("!!!.???")]
    public void Read_Garbage_InvalidCursor(string cursor)
    {
        Assert.Equal(ScimErrorType.InvalidCursor, Codec.Read(cursor, "s", Issued, TimeSpan.FromHours(1)).Error!.Type);
    }
}
