//! The exchange widget's core (`<obmennik-widget>`): everything the element shows and does is
//! decided here, natively testable; the element in `pkg-template/widget/` only patches the
//! markup this renders into its shadow root and runs the effects it asks for (requests to the
//! proxy, timers, storage, DOM events).

pub mod amount;
pub mod fields;
pub mod i18n;
// Only the element (the widget build) and the tests speak it.
#[cfg(any(test, feature = "widget"))]
mod protocol;
pub mod qr;
pub mod sanitize;
pub mod state;
mod view;
pub mod wire;

pub use state::{Effect, Event, Widget};

#[cfg(feature = "widget")]
mod js_api {
    use wasm_bindgen::prelude::*;

    /// The widget's state machine, driven by the `<obmennik-widget>` element: it reports
    /// events as JSON and runs the effects it gets back, then draws `html()`.
    #[wasm_bindgen(js_name = WidgetCore)]
    pub struct WidgetCore {
        inner: super::Widget,
    }

    #[wasm_bindgen(js_class = WidgetCore)]
    impl WidgetCore {
        /// A widget before its attributes and `start` event.
        #[wasm_bindgen(constructor)]
        pub fn new() -> WidgetCore {
            WidgetCore {
                inner: super::Widget::new(),
            }
        }

        /// Applies one event (a JSON object with a `t` tag) and returns the effects to run as
        /// a JSON array. An event that cannot be read changes nothing and returns `[]`.
        pub fn update(&mut self, event: &str) -> String {
            match super::Event::from_json(event) {
                Some(event) => super::protocol::effects_json(&self.inner.update(event)),
                None => "[]".to_string(),
            }
        }

        /// The markup of the current state, for the element's shadow root.
        pub fn html(&self) -> String {
            self.inner.html()
        }
    }

    impl Default for WidgetCore {
        fn default() -> Self {
            Self::new()
        }
    }
}

#[cfg(test)]
mod tests;
