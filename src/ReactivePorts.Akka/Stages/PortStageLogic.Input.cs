namespace ReactivePorts.Akka;

/// <summary>The input side: one element in the port's hands at a time; the next is pulled once the port accepted it.</summary>
internal sealed partial class PortStageLogic
{
    private Action<Task>? _written;
    private bool _writing;
    private bool _inputFinished;

    private void OnPush()
    {
        var payload = Grab(_in!);
        ValueTask write;
        try
        {
            write = Port.WriteAsync(payload);
        }
        catch (Exception ex)
        {
            OnWriteFailed(ex);
            return;
        }
        if (write.IsCompleted)
        {
            // Accepted at once (the port was not busy): the common case costs no callback.
            try
            {
                write.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                OnWriteFailed(ex);
                return;
            }
            OnAccepted();
            return;
        }
        // Busy: upstream waits (nothing is pulled) until the port is ready and takes the element.
        _writing = true;
        _written ??= GetAsyncCallback<Task>(OnWriteEnded);
        write.AsTask().ContinueWith(static (t, state) => ((Action<Task>)state!)(t), _written,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnWriteEnded(Task write)
    {
        _writing = false;
        if (write.Exception?.InnerException is { } error) OnWriteFailed(error);
        else if (write.IsCanceled) OnWriteFailed(new TaskCanceledException(write));
        else OnAccepted();
    }

    private void OnAccepted()
    {
        if (_inputFinished) EndInput();
        else Pull(_in!);
    }

    private void OnUpstreamFinish()
    {
        _inputFinished = true;
        // A write still waiting ends the input once it is accepted (OnAccepted).
        if (!_writing) EndInput();
    }

    private void OnUpstreamFailure(Exception error)
    {
        // Erlang's exit(Port, Reason): the queue is dropped and the port ends with the reason.
        _ = Port.AbortAsync(AbortReason("upstream failed", error));
        FailStage(error);
    }

    private void EndInput()
    {
        if (_closesOnInputEnd)
        {
            // A sink: nothing more to write, so the port closes (flushing what it queued).
            _ = Port.CloseAsync();
            CompleteStage();
            return;
        }
        try
        {
            // A flow half-closes: the child reads end of file and its remaining output still flows.
            Port.CompleteInput();
        }
        catch (ObjectDisposedException)
        {
            // The port has ended already; its output side ends the stage.
        }
    }

    private void OnWriteFailed(Exception error)
    {
        if (error is ObjectDisposedException && _out is not null)
        {
            // The port ended by itself (its child exited) while upstream still had elements: nothing
            // more is pulled, and the output side completes the stage once the last packets are out.
            return;
        }
        _ = Port.AbortAsync(AbortReason("write failed", error));
        FailStage(error);
    }
}
