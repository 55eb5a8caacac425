namespace TodoApi;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "heartbeat {Beats}")]
    public static partial void Beat(ILogger logger, long beats);

    [LoggerMessage(Level = LogLevel.Information, Message = "upstream {Url} answered {Status}")]
    public static partial void Upstream(ILogger logger, string url, int status);
}
