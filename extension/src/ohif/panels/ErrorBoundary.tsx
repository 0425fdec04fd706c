import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
}
interface State {
  error?: Error;
}

/**
 * Keeps a failure inside our panel: shows the error where the panel was and leaves the viewer working
 * (issue 5: "A failure inside our code shows an error in our panel").
 */
export default class ErrorBoundary extends Component<Props, State> {
  override state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // console.warn, not console.error: the failure is contained and reported in the panel.
    console.warn('ohif-landmarks panel failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <div role="alert" data-testid="landmarks-panel-error" className="p-2 text-red-500">
          <p className="font-bold">Landmarks panel error</p>
          <p>{this.state.error.message}</p>
          <button
            type="button"
            className="mt-2 underline"
            onClick={() => this.setState({ error: undefined })}
          >
            Retry
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
